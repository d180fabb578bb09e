/**
 * What a simulated runtime reports about a pod's containers. Nothing runs: init containers finish at
 * once, sidecars and the containers of `restartPolicy: Always` pods run for ever, and the containers of
 * `Never` / `OnFailure` pods run for the `sleep` their command asks for and then exit 0. States already
 * written to the pod are read back, so the simulation continues where it was after a restart.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { apiTime, type ContainerObservation, type ContainerStatus } from "../pod_status.ts";
import { sleepSeconds } from "./run_time.ts";

/** The container fields the simulation reads. */
export interface SimContainer {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  restartPolicy?: string;
}

/** The pod fields the simulation reads. */
export interface SimPod {
  metadata: { uid?: string };
  spec: { containers: SimContainer[]; initContainers?: SimContainer[]; restartPolicy?: string };
  status?: { containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[] };
}

/** The runtime's observations, and when they will next change by themselves. */
export interface Simulation {
  containers: ContainerObservation[];
  /** Epoch ms of the next container exit, if one is due. */
  nextExitAt?: number;
  /** Every regular container has exited for good (the sandbox goes too). */
  exited: boolean;
}

/** The id a simulated container gets: stable per pod and container, in the runtime's `<type>://<id>` form. */
function containerID(pod: SimPod, name: string): string {
  return `k3s-sim://${createHash("sha256").update(`${pod.metadata.uid}/${name}`).digest("hex")}`;
}

function previous(pod: SimPod, name: string): ContainerStatus | undefined {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]
    .find((s) => s.name === name);
}

function exited(pod: SimPod, c: SimContainer, startedAt: string, finishedAt: string): ContainerObservation {
  return {
    name: c.name,
    state: {
      terminated: { exitCode: 0, reason: "Completed", startedAt, finishedAt, containerID: containerID(pod, c.name) },
    },
    containerID: containerID(pod, c.name),
  };
}

function running(pod: SimPod, c: SimContainer, startedAt: string): ContainerObservation {
  return {
    name: c.name,
    state: { running: { startedAt } },
    ready: true,
    started: true,
    containerID: containerID(pod, c.name),
  };
}

/**
 * The containers of `pod` as a simulated runtime sees them at `now`.
 *
 * @example
 * ```ts
 * const { containers, nextExitAt } = simulateContainers(pod, new Date());
 * ```
 */
export function simulateContainers(pod: SimPod, now: Date): Simulation {
  const stamp = apiTime(now);
  const containers: ContainerObservation[] = [];
  for (const c of pod.spec.initContainers ?? []) {
    const old = previous(pod, c.name);
    const startedAt = old?.state.terminated?.startedAt ?? old?.state.running?.startedAt ?? stamp;
    if (c.restartPolicy === "Always") containers.push(running(pod, c, startedAt));
    else containers.push(exited(pod, c, startedAt, old?.state.terminated?.finishedAt ?? stamp));
  }
  const restarts = (pod.spec.restartPolicy ?? "Always") === "Always";
  let nextExitAt: number | undefined;
  let allExited = true;
  for (const c of pod.spec.containers) {
    const old = previous(pod, c.name);
    if (old?.state.terminated) {
      containers.push(
        exited(pod, c, old.state.terminated.startedAt ?? stamp, old.state.terminated.finishedAt ?? stamp),
      );
      continue;
    }
    const startedAt = old?.state.running?.startedAt ?? stamp;
    const runFor = restarts ? Infinity : sleepSeconds(c) ?? 0;
    // A start written earlier is read back in whole seconds; one starting now counts from now exactly.
    const exitAt = (old?.state.running ? Date.parse(startedAt) : now.getTime()) + runFor * 1000;
    if (exitAt <= now.getTime()) {
      containers.push(exited(pod, c, startedAt, apiTime(new Date(exitAt))));
      continue;
    }
    allExited = false;
    containers.push(running(pod, c, startedAt));
    if (Number.isFinite(exitAt)) nextExitAt = Math.min(nextExitAt ?? exitAt, exitAt);
  }
  return { containers, nextExitAt, exited: allExited };
}

/**
 * The containers of `pod` once stopped for its deletion: each exits 0 at `now` (nothing runs, so
 * nothing resists the stop), or keeps the exit it already had.
 *
 * @example
 * ```ts
 * const containers = stopContainers(pod, new Date());
 * ```
 */
export function stopContainers(pod: SimPod, now: Date): ContainerObservation[] {
  const stamp = apiTime(now);
  return [...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c) => {
    const old = previous(pod, c.name);
    const terminated = old?.state.terminated;
    if (terminated) return exited(pod, c, terminated.startedAt ?? stamp, terminated.finishedAt ?? stamp);
    return exited(pod, c, old?.state.running?.startedAt ?? stamp, stamp);
  });
}

/**
 * Whether every container of `pod` already shows as exited.
 *
 * @example
 * ```ts
 * if (!allExited(pod)) await writeStoppedStatus(pod);
 * ```
 */
export function allExited(pod: SimPod): boolean {
  return [...(pod.spec.initContainers ?? []), ...pod.spec.containers]
    .every((c) => Boolean(previous(pod, c.name)?.state.terminated));
}
