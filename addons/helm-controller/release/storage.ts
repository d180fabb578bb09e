/**
 * Helm 3's release history over Secrets (`storage.Storage` on the `secrets` driver): every revision is the Secret
 * `sh.helm.release.v1.<name>.v<N>` in the release's namespace, found by its `owner=helm,name=<name>` labels. Creating
 * a revision first prunes the oldest ones beyond `maxHistory`, never the deployed one, as `helm upgrade
 * --history-max` does.
 *
 * @module
 */
import { type Client, isAlreadyExists, isNotFound } from "../../../core/client/mod.ts";
import { releaseFromSecret, releaseSecret, releaseSecretName } from "./codec.ts";
import type { Release } from "./release.ts";

const SECRET = { apiVersion: "v1", kind: "Secret" };

/** Helm's `driver.ErrReleaseNotFound` / `ErrNoDeployedReleases`. */
export class ReleaseNotFoundError extends Error {}

/**
 * The release records of one namespace.
 *
 * @example
 * ```ts
 * const storage = new ReleaseStorage(client, "apps");
 * const last = await storage.last("greeter"); // the highest revision, whatever its status
 * ```
 */
export class ReleaseStorage {
  /** Revisions kept per release (`--history-max`, Helm's default 10); 0 keeps all. */
  maxHistory = 10;

  constructor(readonly client: Client, readonly namespace: string) {}

  /** Every stored revision of `name`, oldest first (`Storage.History`). */
  async history(name: string): Promise<Release[]> {
    const list = await this.client.list<
      { data?: Record<string, string>; metadata?: { labels?: Record<string, string> } }
    >(
      SECRET,
      this.namespace,
      { labelSelector: `name=${name},owner=helm` },
    );
    const releases: Release[] = [];
    for (const item of list.items) {
      try {
        releases.push(releaseFromSecret(item));
      } catch {
        // Helm skips records it cannot decode.
      }
    }
    return releases.sort((a, b) => a.Version - b.Version);
  }

  /** The highest revision (`Storage.Last`); throws {@link ReleaseNotFoundError} when there is none. */
  async last(name: string): Promise<Release> {
    const history = await this.history(name);
    if (history.length === 0) throw new ReleaseNotFoundError(`no revision for release "${name}"`);
    return history[history.length - 1];
  }

  /** The deployed revisions (`Storage.DeployedAll`), oldest first. */
  async deployedAll(name: string): Promise<Release[]> {
    return (await this.history(name)).filter((r) => r.Info.Status === "deployed");
  }

  /** The newest deployed revision (`Storage.Deployed`); throws {@link ReleaseNotFoundError} when none is. */
  async deployed(name: string): Promise<Release> {
    const deployed = await this.deployedAll(name);
    if (deployed.length === 0) throw new ReleaseNotFoundError(`"${name}" has no deployed releases`);
    return deployed[deployed.length - 1];
  }

  /** One revision (`Storage.Get`). */
  async get(name: string, version: number): Promise<Release> {
    try {
      return releaseFromSecret(await this.client.get(SECRET, this.namespace, releaseSecretName(name, version)));
    } catch (error) {
      if (isNotFound(error)) throw new ReleaseNotFoundError("release: not found");
      throw error;
    }
  }

  /** Stores a new revision (`Storage.Create`), pruning history first. */
  async create(release: Release): Promise<void> {
    if (this.maxHistory > 0) await this.#removeLeastRecent(release.Name, this.maxHistory - 1);
    try {
      await this.client.create(releaseSecret(release, { createdAt: new Date() }), { fieldManager: "helm" });
    } catch (error) {
      if (isAlreadyExists(error)) throw new Error("release: already exists");
      throw new Error(`create: failed to create: ${(error as Error).message}`);
    }
  }

  /** Rewrites a revision (`Storage.Update`), e.g. to record its new status. */
  async update(release: Release): Promise<void> {
    try {
      await this.client.update(releaseSecret(release, { modifiedAt: new Date() }), { fieldManager: "helm" });
    } catch (error) {
      throw new Error(`update: failed to update: ${(error as Error).message}`);
    }
  }

  /** Deletes a revision (`Storage.Delete`); a missing one is not an error. */
  async delete(name: string, version: number): Promise<void> {
    try {
      await this.client.delete(SECRET, this.namespace, releaseSecretName(name, version));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  /** Helm's `removeLeastRecent`: drop the oldest revisions until `max` remain, sparing the deployed one. */
  async #removeLeastRecent(name: string, max: number): Promise<void> {
    const history = await this.history(name);
    if (history.length <= max) return;
    const deployed = history.filter((r) => r.Info.Status === "deployed").at(-1);
    const doomed: Release[] = [];
    for (const release of history) {
      if (history.length - doomed.length === max) break;
      if (release.Version !== deployed?.Version) doomed.push(release);
    }
    for (const release of doomed) await this.delete(name, release.Version);
  }
}
