/**
 * Kube's `TriggerTimeTracker`: the `endpoints.kubernetes.io/last-change-trigger-time` annotation says
 * when the earliest change this write reflects happened — the Service's creation or a pod's last
 * readiness transition — counting only changes not already reflected by an earlier sync.
 *
 * @module
 */
import type { Pod } from "./pods.ts";
import type { Service } from "./service.ts";

/** The annotation on Endpoints and EndpointSlices. */
export const LAST_CHANGE_TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time";

interface ServiceState {
  podTriggerTimes: Map<string, number>;
  serviceTriggerTime: number;
}

function time(text: string | undefined): number | undefined {
  const t = Date.parse(text ?? "");
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Go's `time.RFC3339Nano` in UTC: fractional seconds without trailing zeros (none at all when whole).
 *
 * @example
 * ```ts
 * formatRFC3339Nano(Date.UTC(2024, 0, 2, 3, 4, 5, 120)); // "2024-01-02T03:04:05.12Z"
 * ```
 */
export function formatRFC3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.?0*Z$/, "Z");
}

/**
 * Trigger times per Service key.
 *
 * @example
 * ```ts
 * const tracker = new TriggerTimeTracker();
 * const t = tracker.compute(service, pods); // undefined when nothing new happened
 * if (t !== undefined) annotations[LAST_CHANGE_TRIGGER_TIME] = formatRFC3339Nano(t);
 * ```
 */
export class TriggerTimeTracker {
  readonly #states = new Map<string, ServiceState>();

  /**
   * The earliest trigger time newer than what the last call for this Service saw (or undefined), and
   * remember the current ones; called on every sync, whether or not it writes, as kube does.
   */
  compute(service: Service, pods: Pod[]): number | undefined {
    const key = `${service.metadata.namespace}/${service.metadata.name}`;
    const previous = this.#states.get(key);
    const next: ServiceState = { podTriggerTimes: new Map(), serviceTriggerTime: 0 };
    let earliest: number | undefined;
    const consider = (t: number) => earliest = earliest === undefined ? t : Math.min(earliest, t);
    for (const pod of pods) {
      const ready = pod.status?.conditions?.find((c) => c.type === "Ready");
      const t = time(ready?.lastTransitionTime);
      if (t === undefined) continue;
      next.podTriggerTimes.set(pod.metadata.name, t);
      if (t > (previous?.podTriggerTimes.get(pod.metadata.name) ?? -Infinity)) consider(t);
    }
    const created = time(service.metadata.creationTimestamp);
    if (created !== undefined) {
      next.serviceTriggerTime = created;
      if (created > (previous?.serviceTriggerTime ?? -Infinity)) consider(created);
    }
    this.#states.set(key, next);
    return earliest;
  }

  /** Forget a deleted Service. */
  deleteService(key: string): void {
    this.#states.delete(key);
  }
}
