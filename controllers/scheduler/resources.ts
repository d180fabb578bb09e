/**
 * Resource amounts in the units kube-scheduler counts in — CPU in millicores, everything else in whole units
 * (bytes, pods, devices) — and a pod's effective requests as kube's `resource.PodRequests` computes them:
 * containers add up, an init container only needs room while it runs (next to the sidecars started before
 * it), and the runtime's `overhead` comes on top.
 *
 * @module
 */
import { parseQuantity } from "../../core/admission/quantity.ts";

/** An amount of every resource the scheduler accounts for. */
export interface Resources {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  /** Extended resources (`example.com/gpu`), hugepages and attachable volumes: kube's "scalar resources". */
  scalar: Map<string, number>;
}

/** A container's requests, as far as the scheduler reads them. */
export interface ContainerLike {
  resources?: { requests?: Record<string, unknown> };
  /** `Always` makes an init container a sidecar that keeps running. */
  restartPolicy?: string;
  ports?: { hostPort?: number; hostIP?: string; protocol?: string; containerPort?: number }[];
}

/** The pod spec fields requests are computed from. */
export interface RequestsSpec {
  containers?: ContainerLike[];
  initContainers?: ContainerLike[];
  overhead?: Record<string, unknown>;
}

/** What a container without a CPU request counts as when spreading by usage (kube's `DefaultMilliCPURequest`). */
const DEFAULT_MILLI_CPU_REQUEST = 100;
/** What a container without a memory request counts as when spreading by usage (kube's `DefaultMemoryRequest`). */
const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/**
 * No resources at all.
 *
 * @example
 * ```ts
 * const requested = emptyResources();
 * ```
 */
export function emptyResources(): Resources {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, scalar: new Map() };
}

/**
 * Whether kube counts `name` as a scalar resource: extended (`example.com/gpu`), prefixed native
 * (`kubernetes.io/…`), hugepages or attachable volumes.
 *
 * @example
 * ```ts
 * isScalarResourceName("nvidia.com/gpu"); // true
 * isScalarResourceName("cpu"); // false
 * ```
 */
export function isScalarResourceName(name: string): boolean {
  if (name.startsWith("requests.")) return false;
  return name.includes("/") || name.startsWith("hugepages-") || name.startsWith("attachable-volumes-");
}

// Quantities repeat endlessly ("100m", "128Mi"); parsing them exactly is BigInt work worth doing once.
const VALUES = new Map<string, number>();
const MAX_REMEMBERED = 4096;

/**
 * A quantity in whole units rounded up (kube's `Quantity.Value()`), or in thousandths with `milli`
 * (`MilliValue()`, CPU's unit); 0 when it does not parse.
 *
 * @example
 * ```ts
 * quantityValue("128Mi"); // 134217728
 * quantityValue("250m", true); // 250
 * ```
 */
export function quantityValue(quantity: unknown, milli = false): number {
  const text = `${milli ? "m" : "u"}${quantity}`;
  const known = VALUES.get(text);
  if (known !== undefined) return known;
  const q = parseQuantity(quantity);
  let value = 0;
  if (q) {
    const exp = q.exp + (milli ? 3 : 0);
    let magnitude: bigint;
    if (exp >= 0) magnitude = q.digits * 10n ** BigInt(exp);
    else {
      const divisor = 10n ** BigInt(-exp);
      magnitude = (q.digits + divisor - 1n) / divisor;
    }
    value = Number(q.negative ? -magnitude : magnitude);
  }
  if (VALUES.size >= MAX_REMEMBERED) VALUES.clear();
  VALUES.set(text, value);
  return value;
}

/** A resource list in scheduler units, by resource name. */
type Amounts = Map<string, number>;

function amounts(list: Record<string, unknown> | undefined): Amounts {
  const out: Amounts = new Map();
  for (const [name, quantity] of Object.entries(list ?? {})) out.set(name, quantityValue(quantity, name === "cpu"));
  return out;
}

function add(to: Amounts, from: Amounts): void {
  for (const [name, value] of from) to.set(name, (to.get(name) ?? 0) + value);
}

function max(to: Amounts, from: Amounts): void {
  for (const [name, value] of from) to.set(name, Math.max(to.get(name) ?? 0, value));
}

/** A container's requests; with `defaults`, CPU and memory it leaves out count as kube's non-zero defaults. */
function containerRequests(container: ContainerLike, defaults: boolean): Amounts {
  const requests = amounts(container.resources?.requests);
  if (defaults) {
    if (!requests.has("cpu")) requests.set("cpu", DEFAULT_MILLI_CPU_REQUEST);
    if (!requests.has("memory")) requests.set("memory", DEFAULT_MEMORY_REQUEST);
  }
  return requests;
}

function podAmounts(spec: RequestsSpec, defaults: boolean): Amounts {
  const total: Amounts = new Map();
  for (const c of spec.containers ?? []) add(total, containerRequests(c, defaults));
  const sidecars: Amounts = new Map();
  const initPeak: Amounts = new Map();
  for (const c of spec.initContainers ?? []) {
    const requests = containerRequests(c, defaults);
    if (c.restartPolicy === "Always") {
      // A sidecar runs alongside everything started after it, so it adds to the pod for good.
      add(total, requests);
      add(sidecars, requests);
      max(initPeak, sidecars);
    } else {
      const whileRunning = new Map(requests);
      add(whileRunning, sidecars);
      max(initPeak, whileRunning);
    }
  }
  max(total, initPeak);
  add(total, amounts(spec.overhead));
  return total;
}

function toResources(list: Amounts): Resources {
  const r = emptyResources();
  for (const [name, value] of list) {
    if (name === "cpu") r.milliCPU += value;
    else if (name === "memory") r.memory += value;
    else if (name === "ephemeral-storage") r.ephemeralStorage += value;
    else if (isScalarResourceName(name)) r.scalar.set(name, (r.scalar.get(name) ?? 0) + value);
  }
  return r;
}

/**
 * What a pod asks of a node: its requests, plus the CPU and memory it counts as when containers leave them
 * out (100m and 200Mi each), which the spreading scores use so best-effort pods still spread.
 *
 * @example
 * ```ts
 * const { requests, nonZeroCPU } = podRequests({ containers: [{ resources: { requests: { cpu: "1" } } }, {}] });
 * // requests.milliCPU === 1000, nonZeroCPU === 1100
 * ```
 */
export function podRequests(spec: RequestsSpec): { requests: Resources; nonZeroCPU: number; nonZeroMemory: number } {
  const requests = toResources(podAmounts(spec, false));
  const nonZero = podAmounts(spec, true);
  return { requests, nonZeroCPU: nonZero.get("cpu") ?? 0, nonZeroMemory: nonZero.get("memory") ?? 0 };
}

/**
 * A node's `status.allocatable` in scheduler units, with the number of pods it admits.
 *
 * @example
 * ```ts
 * allocatableOf({ cpu: "4", memory: "8Gi", pods: "110" }); // { resources: { milliCPU: 4000, … }, pods: 110 }
 * ```
 */
export function allocatableOf(
  allocatable: Record<string, unknown> | undefined,
): { resources: Resources; pods: number } {
  const list = amounts(allocatable);
  return { resources: toResources(list), pods: list.get("pods") ?? 0 };
}
