/**
 * File-system events from the manifests directory, so a dropped or edited file is applied within moments rather than
 * at the next 15-second resync (K3s only polls). The resync stays the safety net: events can be lost, and a watch
 * ends when its directory is replaced, so each pass calls `ensure` to watch the directory that is there now.
 *
 * @module
 */
import { type FSWatcher, statSync, watch } from "node:fs";

/**
 * A recursive watch on one directory that calls `onChange` for any change below it.
 *
 * @example
 * ```ts
 * const watcher = new DirectoryWatcher("/var/lib/rancher/k3s/server/manifests", () => queue.add("manifests"));
 * watcher.ensure();
 * // … later
 * watcher.close();
 * ```
 */
export class DirectoryWatcher {
  #watcher?: FSWatcher;
  /** The inode watched: a directory deleted and made again is a new one. */
  #inode?: number;

  constructor(readonly dir: string, readonly onChange: () => void, readonly onError: (error: unknown) => void) {}

  /** Watch the directory now at the path, unless that is already watched. */
  ensure(): void {
    let inode: number;
    try {
      inode = statSync(this.dir).ino;
    } catch (error) {
      this.close();
      this.onError(error);
      return;
    }
    if (this.#watcher && this.#inode === inode) return;
    this.close();
    try {
      const watcher = watch(this.dir, { recursive: true }, () => this.onChange());
      watcher.on("error", (error) => {
        if (this.#watcher === watcher) this.close();
        this.onError(error);
      });
      this.#watcher = watcher;
      this.#inode = inode;
    } catch (error) {
      this.onError(error);
    }
  }

  /** Stop watching. */
  close(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
    this.#inode = undefined;
  }
}
