/**
 * The manifests auto-deploy controller (K3s's `deploy` controller). Its work is not keyed by API objects but by the
 * directory: one queue key stands for a pass over `<data-dir>/server/manifests`, queued at start (a forced pass that
 * re-applies every file), by file-system events, and every 15 seconds (K3s's resync). A pass walks the files in
 * sorted path order: files of disabled components are uninstalled, skipped files ignored, and files whose content
 * changed since they were last applied successfully are deployed — so a failed file is retried at the next pass,
 * and one bad file never holds up the others. Like K3s it runs on every server, not only the leader.
 *
 * The Addon and HelmChart CRDs are ensured when the controller starts, before it takes its first key.
 *
 * @module
 */
import { mkdir } from "node:fs/promises";
import { ensureCustomResourceDefinition } from "../../core/apiextensions/mod.ts";
import type { Client } from "../../core/client/mod.ts";
import {
  Controller,
  type ControllerOptions,
  errorMessage,
  eventRecorder,
  type InformerProvider,
  type Manager,
  sleep,
} from "../../core/operator/mod.ts";
import type { Registry } from "../../core/registry/registry.ts";
import { ADDON_CRD } from "./crd.ts";
import { deleteManifest, type DeployDeps, deployManifest } from "./deploy.ts";
import {
  type ManifestFile,
  manifestsDir,
  shouldDisableFile,
  shouldSkipFile,
  skippedNames,
  walkManifests,
} from "./files.ts";
import { HELM_CHART_CRDS } from "./helm_crds.ts";
import { DirectoryWatcher } from "./watch.ts";

/** How often the directory is looked at without any file-system event (K3s's period). */
const RESYNC_MS = 15_000;
/** File-system events within this window make one pass. */
const SETTLE_MS = 100;
const ENSURE_RETRY_MS = 5_000;
const PASS_KEY = "manifests";
const ADDONS = { group: "k3s.cattle.io", version: "v1", resource: "addons", kind: "Addon", namespaced: true };

/** What {@linkcode addonController} is told by the server. */
export interface AddonSettings {
  /** `--data-dir`; manifests are read from `<data-dir>/server/manifests`. */
  dataDir: string;
  /** `--disable` names: these components' manifest files (or sub-directories) are uninstalled and removed. */
  disabled?: Iterable<string>;
  /** Failures, as K3s logs "Failed to process config" (default: the console). */
  log?: (line: string) => void;
}

/** The loop's memory across passes: which file versions were applied since the controller started. */
class ManifestsLoop {
  /**
   * Path → signature of the file when it was last applied successfully since start. A file not in here yet is
   * applied whatever its Addon's checksum says (K3s's forced pass at start, kept up until the file applies).
   */
  readonly #applied = new Map<string, string>();
  #watcher?: DirectoryWatcher;

  constructor(
    readonly deps: DeployDeps,
    readonly dir: string,
    readonly disabled: ReadonlySet<string>,
    readonly log: (line: string) => void,
  ) {}

  /** Ensure the CRDs (retrying until it works); false when stopped first. */
  async prepare(signal: AbortSignal): Promise<boolean> {
    while (!signal.aborted) {
      try {
        for (const crd of [ADDON_CRD, ...HELM_CHART_CRDS]) {
          await ensureCustomResourceDefinition(this.deps.client, crd, { signal });
        }
        this.#applied.clear();
        return !signal.aborted;
      } catch (error) {
        if (signal.aborted) break;
        this.log(`deploy: ensuring the Addon and HelmChart CRDs failed, retrying: ${errorMessage(error)}`);
        await sleep(ENSURE_RETRY_MS, signal);
      }
    }
    return false;
  }

  watch(onChange: () => void): void {
    this.#watcher = new DirectoryWatcher(this.dir, onChange, (error) => {
      this.log(`deploy: watching ${this.dir}: ${errorMessage(error)}`);
    });
  }

  stopWatching(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
  }

  /** One pass over the directory; failures are logged (and reported on Addons), never thrown. */
  async pass(): Promise<void> {
    let files: ManifestFile[];
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      this.#watcher?.ensure();
      files = await walkManifests(this.dir);
    } catch (error) {
      this.log(`Failed to process config: ${errorMessage(error)}`);
      return;
    }
    const skips = skippedNames(files);
    for (const file of files) {
      try {
        if (shouldDisableFile(this.dir, file.path, this.disabled)) {
          await deleteManifest(this.deps, file.path, file.removeOnDisable);
          continue;
        }
        if (shouldSkipFile(file.name, skips)) continue;
        const applied = this.#applied.get(file.path);
        // A pinned mtime (0, the Nix store) says nothing: such files are checked against the Addon's checksum.
        if (applied === file.signature && file.mtimeMs !== 0) continue;
        await deployManifest(this.deps, file.path, applied !== undefined);
        this.#applied.set(file.path, file.signature);
      } catch (error) {
        this.log(`Failed to process config: failed to process ${file.path}: ${errorMessage(error)}`);
      }
    }
    const present = new Set(files.map((f) => f.path));
    for (const path of this.#applied.keys()) if (!present.has(path)) this.#applied.delete(path);
  }
}

/** The controller's options carry its loop, so a copy of the controller shares it. */
interface AddonControllerOptions extends ControllerOptions {
  manifests: ManifestsLoop;
}

/** A Controller that ensures its CRDs and watches the directory before taking keys. */
class AddonController extends Controller {
  override async start(informers: InformerProvider, signal: AbortSignal): Promise<void> {
    const { manifests } = this.options as AddonControllerOptions;
    if (!(await manifests.prepare(signal))) return;
    manifests.watch(() => this.queue.addAfter(PASS_KEY, SETTLE_MS));
    this.queue.add(PASS_KEY);
    try {
      await super.start(informers, signal);
    } finally {
      manifests.stopWatching();
      await manifests.deps.events.flush();
    }
  }
}

/**
 * The manifests auto-deploy controller, for `startServer`'s `controllers` or a manager.
 *
 * @example
 * ```ts
 * manager.add(addonController({ client, registry, manager }, { dataDir: "/var/lib/rancher/k3s", disabled: ["traefik"] }));
 * ```
 */
export function addonController(
  deps: { client: Client; registry: Registry; manager: Manager },
  settings: AddonSettings,
): Controller {
  const events = eventRecorder(deps.client, "deploy");
  const manifests = new ManifestsLoop(
    { client: deps.client, registry: deps.registry, events },
    manifestsDir(settings.dataDir),
    new Set(settings.disabled ?? []),
    settings.log ?? ((line) => console.error(line)),
  );
  const options: AddonControllerOptions = { needLeaderElection: false, manifests };
  const reconcile = async () => {
    await manifests.pass();
    return { requeueAfterMs: RESYNC_MS };
  };
  return new AddonController("deploy", ADDONS, [], reconcile, options);
}
