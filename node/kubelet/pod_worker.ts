/**
 * One pod's worker, the kubelet's `SyncPod` loop: it drives the runtime toward the pod's spec (sandbox, init
 * containers in order, sidecars, regular containers, restarts with back-off, probes) and writes the status it
 * observes; on deletion it stops the containers gracefully (`preStop`, then the grace period), removes the sandbox
 * and the volumes, and finishes the deletion in the API.
 *
 * @module
 */
import { mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { type Client, isConflict, isNotFound } from "../../core/client/mod.ts";
import { errorMessage, type EventRecorder } from "../../core/operator/mod.ts";
import type { ContainerStatus as CriContainerStatus, CriClient } from "../cri/mod.ts";
import { containerEnv, EnvError } from "../env/mod.ts";
import { ContainerProber, runHandler } from "../probes/mod.ts";
import {
  apiTime,
  type ContainerObservation,
  type ContainerState,
  generatePodStatus,
  type PodStatus,
} from "../pod_status.ts";
import { podDir, type PodVolumes, setUpPodVolumes, tearDownPodVolumes, VolumeError } from "../volumes/mod.ts";
import { Backoff } from "./backoff.ts";
import { containerConfig, etcHostsContent } from "./container_config.ts";
import { ensureImage } from "./images.ts";
import { type Container, isSidecar, type Pod, podKey } from "./pod.ts";
import { podCgroupParent } from "./resources.ts";
import { type RuntimePod, runtimePod } from "./runtime_pod.ts";
import { sandboxConfig, type SandboxSettings } from "./sandbox_config.ts";

/** What every pod worker shares. */
export interface WorkerDeps {
  client: Client;
  runtime: CriClient;
  nodeName: string;
  nodeIP: string;
  rootDir: string;
  imagesDir: string;
  sandbox: SandboxSettings;
  memoryCapacity: number;
  events: EventRecorder;
  log: (line: string) => void;
}

/** A container's waiting state the kubelet chose (image or config problems, back-off). */
interface Waiting {
  reason: string;
  message: string;
}

const NS_PER_MS = 1_000_000;
/** A container that ran this long before exiting restarts without back-off. */
const HEALTHY_RUN_MS = 10 * 60_000;

function criTime(ns: number): string | undefined {
  return ns > 0 ? apiTime(new Date(ns / NS_PER_MS)) : undefined;
}

/**
 * The worker of one pod; `update` hands it the newest object (undefined once the pod is gone from the API).
 *
 * @example
 * ```ts
 * const worker = new PodWorker(pod.metadata.uid, deps);
 * worker.update(pod);
 * await worker.run(signal);
 * ```
 */
export class PodWorker {
  #pod?: Pod;
  #gone = false;
  #wake?: () => void;
  #volumes?: PodVolumes;
  #lastRefresh = 0;
  readonly #statusCache = new Map<string, CriContainerStatus>();
  readonly #probers = new Map<string, ContainerProber>();
  readonly #backoff = new Backoff();
  readonly #imageBackoff = new Backoff();
  readonly #waiting = new Map<string, Waiting>();
  #lastError = "";

  constructor(readonly uid: string, readonly deps: WorkerDeps) {}

  /** The newest pod object; undefined means it was deleted from the API. */
  update(pod: Pod | undefined): void {
    if (pod) this.#pod = pod;
    else this.#gone = true;
    this.#wake?.();
  }

  /** Sync until the pod is gone and cleaned up (or `signal` aborts). */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let finished = false;
      try {
        finished = await this.#sync();
        this.#lastError = "";
      } catch (error) {
        const message = `Error syncing pod ${this.#pod ? podKey(this.#pod) : this.uid}: ${errorMessage(error)}`;
        // The runtime may be restarting: say it once, keep retrying.
        if (message !== this.#lastError) this.deps.log(message);
        this.#lastError = message;
      }
      if (finished) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, 1000);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.#wake = done;
        signal.addEventListener("abort", done, { once: true });
      });
    }
    for (const prober of this.#probers.values()) prober.stop();
  }

  /** One pass; true once the pod is gone and nothing of it is left on the node. */
  async #sync(): Promise<boolean> {
    const pod = this.#pod;
    if (!pod) return true;
    const state = await runtimePod(this.deps.runtime, this.uid, this.#statusCache);
    if (this.#gone) {
      await this.#killPod(pod, state, 0);
      return true;
    }
    if (pod.metadata.deletionTimestamp) {
      const grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
      await this.#killPod(pod, state, grace);
      await this.deps.client.delete({ apiVersion: "v1", kind: "Pod" }, pod.metadata.namespace, pod.metadata.name, {
        gracePeriodSeconds: 0,
        preconditions: { uid: pod.metadata.uid },
      }).catch((error) => {
        if (!isNotFound(error) && !isConflict(error)) throw error;
      });
      return true;
    }
    const phase = pod.status?.phase;
    if (phase === "Succeeded" || phase === "Failed") {
      // A finished pod keeps its exited containers (for logs) but nothing runs any more.
      await this.#stopRunning(pod, state, pod.spec.terminationGracePeriodSeconds ?? 30);
      for (const sandbox of state.sandboxes) {
        if (sandbox.state === "SANDBOX_READY") await this.deps.runtime.stopPodSandbox(sandbox.id);
      }
      return false;
    }
    if (this.#deadlineExceeded(pod)) {
      await this.#stopRunning(pod, state, pod.spec.terminationGracePeriodSeconds ?? 30);
      this.deps.events.event(
        pod,
        "Normal",
        "DeadlineExceeded",
        "Pod was active on the node longer than the specified deadline",
      );
      await this.#writeStatus(pod, await runtimePod(this.deps.runtime, this.uid, this.#statusCache), {
        phase: "Failed",
        reason: "DeadlineExceeded",
        message: "Pod was active on the node longer than the specified deadline",
      });
      return false;
    }

    const sandbox = await this.#ensureSandbox(pod, state);
    if (!sandbox) {
      await this.#writeStatus(pod, state);
      return false;
    }
    const { id: sandboxId, podIPs } = sandbox;
    if (Date.now() - this.#lastRefresh > 60_000) {
      await this.#volumes!.refresh(podIPs);
      this.#lastRefresh = Date.now();
    }
    await this.#startWhatIsDue(pod, state, sandboxId, podIPs);
    await this.#writeStatus(pod, await runtimePod(this.deps.runtime, this.uid, this.#statusCache), undefined, podIPs);
    return false;
  }

  #deadlineExceeded(pod: Pod): boolean {
    const deadline = pod.spec.activeDeadlineSeconds;
    const start = pod.status?.startTime;
    return deadline !== undefined && start !== undefined && Date.now() - Date.parse(start) >= deadline * 1000;
  }

  /** The pod's ready sandbox (made if there is none) and its IPs, or undefined when it cannot be made yet. */
  async #ensureSandbox(pod: Pod, state: RuntimePod): Promise<{ id: string; podIPs: string[] } | undefined> {
    if (!this.#volumes) {
      try {
        this.#volumes = await setUpPodVolumes(pod, { ...this.deps, podIPs: [] });
      } catch (error) {
        if (!(error instanceof VolumeError)) throw error;
        this.deps.events.event(pod, "Warning", error.reason, `MountVolume.SetUp failed: ${error.message}`);
        return undefined;
      }
    }
    let current = state.sandboxes.find((s) => s.state === "SANDBOX_READY");
    if (!current) {
      const attempt = state.sandboxes.length;
      if (attempt > 0) {
        this.deps.events.event(
          pod,
          "Normal",
          "SandboxChanged",
          "Pod sandbox changed, it will be killed and re-created.",
        );
        await this.#stopRunning(pod, state, 0);
      }
      const config = sandboxConfig(pod, attempt, this.deps.sandbox);
      mkdirSync(config.log_directory!, { recursive: true });
      try {
        const id = await this.deps.runtime.runPodSandbox(config);
        current = { ...state.sandboxes[0], id, state: "SANDBOX_READY" };
      } catch (error) {
        this.deps.events.event(
          pod,
          "Warning",
          "FailedCreatePodSandBox",
          `Failed to create pod sandbox: ${errorMessage(error)}`,
        );
        return undefined;
      }
      for (const old of state.sandboxes) await this.deps.runtime.removePodSandbox(old.id).catch(() => {});
    }
    let podIPs = [this.deps.nodeIP];
    if (!pod.spec.hostNetwork) {
      const status = (await this.deps.runtime.podSandboxStatus(current.id)).status;
      podIPs = [status?.network?.ip, ...(status?.network?.additional_ips ?? []).map((a) => a.ip)]
        .filter((ip): ip is string => !!ip);
    }
    const hosts = join(podDir(this.deps.rootDir, this.uid), "etc-hosts");
    const content = pod.spec.hostNetwork
      ? readHostsFile()
      : etcHostsContent(pod, podIPs[0] ?? "", this.deps.sandbox.clusterDomain);
    mkdirSync(podDir(this.deps.rootDir, this.uid), { recursive: true });
    writeFileSync(hosts, content);
    return { id: current.id, podIPs };
  }

  /** Start (or restart) the containers that are due, in the kubelet's order. */
  async #startWhatIsDue(pod: Pod, state: RuntimePod, sandboxId: string, podIPs: string[]): Promise<void> {
    const policy = pod.spec.restartPolicy ?? "Always";
    for (const container of pod.spec.initContainers ?? []) {
      const latest = state.containers.get(container.name)?.[0];
      if (isSidecar(container)) {
        if (!latest || latest.state === "CONTAINER_EXITED") {
          await this.#start(pod, container, latest, sandboxId, podIPs);
          return;
        }
        if (await this.#restartIfUnhealthy(pod, container, latest)) return;
        if (latest.state !== "CONTAINER_RUNNING" || !this.#probers.get(latest.id)?.started) return;
        continue;
      }
      if (!latest) {
        await this.#start(pod, container, undefined, sandboxId, podIPs);
        return;
      }
      if (latest.state !== "CONTAINER_EXITED") return;
      if (latest.exit_code === 0) continue;
      if (policy !== "Never") await this.#start(pod, container, latest, sandboxId, podIPs);
      return;
    }
    for (const container of pod.spec.containers) {
      const latest = state.containers.get(container.name)?.[0];
      if (!latest) {
        await this.#start(pod, container, undefined, sandboxId, podIPs);
        continue;
      }
      if (latest.state === "CONTAINER_RUNNING") {
        await this.#restartIfUnhealthy(pod, container, latest);
        continue;
      }
      if (latest.state !== "CONTAINER_EXITED") continue;
      const restart = policy === "Always" || policy === "OnFailure" && latest.exit_code !== 0;
      if (restart) await this.#start(pod, container, latest, sandboxId, podIPs);
    }
  }

  /** Kill a running container whose liveness (or startup) probe failed; true if it did. */
  async #restartIfUnhealthy(pod: Pod, container: Container, latest: CriContainerStatus): Promise<boolean> {
    const failure = this.#probers.get(latest.id)?.livenessFailure;
    if (!failure || latest.state !== "CONTAINER_RUNNING") return false;
    this.deps.events.event(pod, "Normal", "Killing", failure);
    await this.#stopContainer(pod, container, latest.id, pod.spec.terminationGracePeriodSeconds ?? 30);
    return true;
  }

  async #start(
    pod: Pod,
    container: Container,
    previous: CriContainerStatus | undefined,
    sandboxId: string,
    podIPs: string[],
  ): Promise<void> {
    const name = container.name;
    const attempt = previous ? (previous.metadata?.attempt ?? 0) + 1 : 0;
    if (previous) {
      const ran = (previous.finished_at - previous.started_at) / NS_PER_MS;
      if (ran >= HEALTHY_RUN_MS) this.#backoff.reset(name);
      if (this.#backoff.inBackoff(name)) {
        const message = `back-off ${this.#backoff.delaySeconds(name)}s restarting failed container=${name} ` +
          `pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
        if (this.#waiting.get(name)?.reason !== "CrashLoopBackOff") {
          this.deps.events.event(pod, "Warning", "BackOff", "Back-off restarting failed container " + name);
        }
        this.#waiting.set(name, { reason: "CrashLoopBackOff", message });
        return;
      }
      this.#backoff.next(name);
    }
    if (this.#imageBackoff.inBackoff(name)) {
      this.#waiting.set(name, { reason: "ImagePullBackOff", message: `Back-off pulling image "${container.image}"` });
      return;
    }
    const image = await ensureImage(this.deps.runtime, container, this.deps.imagesDir);
    if ("reason" in image) {
      this.#imageBackoff.next(name);
      this.#waiting.set(name, image);
      this.deps.events.event(pod, "Warning", "Failed", `Failed to pull image "${container.image}": ${image.message}`);
      this.deps.events.event(pod, "Warning", "Failed", `Error: ${image.reason}`);
      return;
    }
    this.#imageBackoff.reset(name);
    let config;
    try {
      const env = await containerEnv(pod, container, { ...this.deps, podIPs });
      const volumeMounts = this.#volumes!.mountsFor(container, new Map(env.map((e) => [e.name, e.value])));
      const messageDir = join(podDir(this.deps.rootDir, this.uid), "containers", name);
      mkdirSync(messageDir, { recursive: true });
      const terminationMessageFile = join(messageDir, `${attempt}`);
      writeFileSync(terminationMessageFile, "", { mode: 0o666 });
      config = containerConfig(pod, container, {
        attempt,
        imageRef: image.imageRef,
        env,
        volumeMounts,
        etcHosts: join(podDir(this.deps.rootDir, this.uid), "etc-hosts"),
        terminationMessageFile,
        memoryCapacity: this.deps.memoryCapacity,
      });
    } catch (error) {
      if (!(error instanceof EnvError) && !(error instanceof VolumeError)) throw error;
      this.#waiting.set(name, { reason: "CreateContainerConfigError", message: error.message });
      this.deps.events.event(pod, "Warning", "Failed", `Error: ${error.message}`);
      return;
    }
    if (!previous) {
      this.deps.events.event(
        pod,
        "Normal",
        "Pulled",
        `Container image "${container.image}" already present on machine`,
      );
    }
    let id: string;
    try {
      id = await this.deps.runtime.createContainer(sandboxId, config, sandboxConfig(pod, 0, this.deps.sandbox));
    } catch (error) {
      this.#waiting.set(name, { reason: "CreateContainerError", message: errorMessage(error) });
      this.deps.events.event(pod, "Warning", "Failed", `Error: ${errorMessage(error)}`);
      return;
    }
    this.deps.events.event(pod, "Normal", "Created", `Created container: ${name}`);
    try {
      await this.deps.runtime.startContainer(id);
    } catch (error) {
      this.#waiting.set(name, { reason: "RunContainerError", message: errorMessage(error) });
      this.deps.events.event(pod, "Warning", "Failed", `Error: ${errorMessage(error)}`);
      return;
    }
    this.#waiting.delete(name);
    this.deps.events.event(pod, "Normal", "Started", `Started container: ${name}`);
    const target = { runtime: this.deps.runtime, containerId: id, podIP: podIPs[0] ?? this.deps.nodeIP, container };
    if (container.lifecycle?.postStart) {
      try {
        await runHandler(container.lifecycle.postStart, target);
      } catch (error) {
        this.deps.events.event(pod, "Warning", "FailedPostStartHook", `PostStartHook failed: ${errorMessage(error)}`);
        await this.deps.runtime.stopContainer(id, 0).catch(() => {});
        return;
      }
    }
    const prober = new ContainerProber({
      pod,
      container,
      target,
      onChange: () => this.#wake?.(),
      onFailure: (_kind, message) => this.deps.events.event(pod, "Warning", "Unhealthy", message),
    });
    this.#probers.set(id, prober);
    prober.start();
    // Keep the latest exited attempt (for `logs --previous`); older ones are garbage.
    for (const old of (await runtimePod(this.deps.runtime, this.uid, this.#statusCache)).containers.get(name) ?? []) {
      if ((old.metadata?.attempt ?? 0) < attempt - 1 && old.state === "CONTAINER_EXITED") {
        await this.deps.runtime.removeContainer(old.id).catch(() => {});
      }
    }
  }

  /** Run `preStop` then stop the container within `grace` seconds. */
  async #stopContainer(pod: Pod, container: Container | undefined, id: string, grace: number): Promise<void> {
    const deadline = Date.now() + grace * 1000;
    const preStop = container?.lifecycle?.preStop;
    if (preStop && grace > 0) {
      const target = { runtime: this.deps.runtime, containerId: id, podIP: pod.status?.podIP ?? "", container };
      await runHandler(preStop, target, AbortSignal.timeout(grace * 1000)).catch((error) => {
        this.deps.events.event(pod, "Warning", "FailedPreStopHook", `PreStopHook failed: ${errorMessage(error)}`);
      });
    }
    this.#probers.get(id)?.stop();
    this.#probers.delete(id);
    const remaining = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    await this.deps.runtime.stopContainer(id, remaining);
  }

  async #stopRunning(pod: Pod, state: RuntimePod, grace: number): Promise<void> {
    const specs = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])];
    const running = [...state.containers.entries()].flatMap(([name, list]) =>
      list.filter((c) => c.state === "CONTAINER_RUNNING" || c.state === "CONTAINER_CREATED").map((c) => ({ name, c }))
    );
    await Promise.all(running.map(({ name, c }) => {
      if (grace > 0) this.deps.events.event(pod, "Normal", "Killing", `Stopping container ${name}`);
      return this.#stopContainer(pod, specs.find((s) => s.name === name), c.id, grace);
    }));
  }

  /** Stop everything of the pod and remove it from the node. */
  async #killPod(pod: Pod, state: RuntimePod, grace: number): Promise<void> {
    await this.#stopRunning(pod, state, grace);
    for (const sandbox of state.sandboxes) {
      await this.deps.runtime.stopPodSandbox(sandbox.id);
      await this.deps.runtime.removePodSandbox(sandbox.id);
    }
    await tearDownPodVolumes(this.deps.rootDir, this.uid);
    removePodCgroups(podCgroupParent(pod, this.deps.sandbox.cgroupDriver));
    this.deps.log(`Pod ${podKey(pod)} removed from the node`);
  }

  async #writeStatus(pod: Pod, state: RuntimePod, override?: Partial<PodStatus>, podIPs: string[] = []): Promise<void> {
    const observations: ContainerObservation[] = [];
    for (const container of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
      const observation = this.#observe(container, state.containers.get(container.name) ?? []);
      if (observation) observations.push(observation);
    }
    const sandboxReady = state.sandboxes.some((s) => s.state === "SANDBOX_READY");
    let status = generatePodStatus(pod, {
      containers: observations,
      sandboxReady,
      hostIPs: [this.deps.nodeIP],
      podIPs,
      terminal: override?.phase !== undefined,
    });
    if (override) status = { ...status, ...override };
    if (isDeepStrictEqual(withoutTimes(status), withoutTimes(pod.status ?? {}))) return;
    try {
      const updated = await this.deps.client.patch<Pod>(
        { apiVersion: "v1", kind: "Pod" },
        pod.metadata.namespace,
        pod.metadata.name,
        "merge",
        { status },
        { subresource: "status" },
      );
      if (updated.metadata.uid === this.uid) this.#pod = updated;
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  #observe(container: Container, attempts: CriContainerStatus[]): ContainerObservation | undefined {
    const [latest, previous] = attempts;
    const waiting = this.#waiting.get(container.name);
    if (!latest) return waiting ? { name: container.name, state: { waiting } } : undefined;
    const terminated = (c: CriContainerStatus): ContainerState => ({
      terminated: {
        exitCode: c.exit_code,
        reason: c.reason || (c.exit_code === 0 ? "Completed" : "Error"),
        ...(terminationMessage(c) ? { message: terminationMessage(c) } : {}),
        startedAt: criTime(c.started_at),
        // containerd can report an exit a hair before the start it recorded.
        finishedAt: criTime(Math.max(c.finished_at, c.started_at)),
        containerID: `containerd://${c.id}`,
      },
    });
    let state: ContainerState;
    let lastState: ContainerState = previous ? terminated(previous) : {};
    if (latest.state === "CONTAINER_RUNNING") state = { running: { startedAt: criTime(latest.started_at) } };
    else if (latest.state === "CONTAINER_EXITED") {
      if (waiting) {
        state = { waiting };
        lastState = terminated(latest);
      } else state = terminated(latest);
    } else state = { waiting: waiting ?? { reason: "ContainerCreating" } };
    const prober = this.#probers.get(latest.id);
    const running = latest.state === "CONTAINER_RUNNING";
    return {
      name: container.name,
      state,
      lastState,
      ready: running && (prober?.ready ?? !container.readinessProbe),
      started: running && (prober?.started ?? !container.startupProbe),
      restartCount: latest.metadata?.attempt ?? 0,
      containerID: `containerd://${latest.id}`,
      imageID: latest.image_ref,
      image: latest.image?.image,
    };
  }
}

/** The termination message a container wrote to its `terminationMessagePath` (the file is on the host). */
function terminationMessage(c: CriContainerStatus): string | undefined {
  const path = c.annotations["io.kubernetes.container.terminationMessagePath"];
  const mount = c.mounts.find((m) => m.container_path === path);
  if (!mount) return undefined;
  try {
    return readFileSync(mount.host_path, "utf8").slice(0, 4096) || undefined;
  } catch {
    return undefined;
  }
}

/** Status without heartbeat-like times, so an unchanged pod is not rewritten. */
function withoutTimes(status: PodStatus): unknown {
  return JSON.parse(JSON.stringify(status, (key, value) => key === "lastProbeTime" ? undefined : value));
}

function readHostsFile(): string {
  try {
    return readFileSync("/etc/hosts", "utf8");
  } catch {
    return "127.0.0.1\tlocalhost\n";
  }
}

/** containerd leaves the pod's parent cgroups behind; remove them (when empty) from every hierarchy. */
function removePodCgroups(parent: string): void {
  const base = "/sys/fs/cgroup";
  let hierarchies: string[] = [];
  try {
    hierarchies = readdirSync(base).map((h) => join(base, h));
  } catch {
    return;
  }
  for (const root of [base, ...hierarchies]) {
    try {
      rmdirSync(join(root, parent));
    } catch {
      // Not there, or still busy.
    }
  }
}
