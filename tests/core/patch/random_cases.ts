/**
 * Seeded random Pods and strategic merge patches for differential testing against kubectl: merge-keyed lists at
 * two depths (containers, env, ports, volumes), a set list (finalizers), atomic lists, and every directive, valid
 * or not (unknown `$patch` values, elements without merge keys, `$setElementOrder` lists out of order).
 *
 * @module
 */

// deno-lint-ignore no-explicit-any
type Json = any;

/**
 * A deterministic pseudo-random source.
 *
 * @example
 * ```ts
 * const random = new Random(1);
 * random.pick(["a", "b"]);
 * ```
 */
export class Random {
  constructor(private seed: number) {}

  next(): number {
    this.seed = (this.seed * 1103515245 + 12345) % 2147483648;
    return this.seed / 2147483648;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  subset<T>(items: readonly T[]): T[] {
    return items.filter(() => this.chance(0.5));
  }

  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }
}

const NAMES = ["a", "b", "c", "d"];
const ENV = ["X", "Y", "Z", "W"];
const PORTS = [80, 443, 8080];
const VOLUMES = ["v1", "v2", "v3"];
const FINALIZERS = ["f1", "f2", "f3", "f4"];

function container(r: Random, name: string): Json {
  const c: Json = { name, image: r.pick(["nginx", "redis", "busybox"]) };
  if (r.chance(0.6)) c.env = r.shuffle(r.subset(ENV)).map((n) => ({ name: n, value: r.pick(["1", "2"]) }));
  if (r.chance(0.4)) c.ports = r.shuffle(r.subset(PORTS)).map((p) => ({ containerPort: p, protocol: "TCP" }));
  if (r.chance(0.3)) c.args = r.subset(["-a", "-b", "-c"]);
  if (r.chance(0.3)) c.resources = { limits: { cpu: "1" } };
  return c;
}

/**
 * A random Pod.
 *
 * @example
 * ```ts
 * randomPod(new Random(7)).spec.containers;
 * ```
 */
export function randomPod(r: Random): Json {
  const pod: Json = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", labels: { app: "x", tier: "t" } },
    spec: { containers: r.shuffle(r.subset(NAMES)).map((name) => container(r, name)) },
  };
  if (r.chance(0.6)) pod.metadata.finalizers = r.shuffle(r.subset(FINALIZERS));
  if (r.chance(0.4)) {
    pod.spec.volumes = r.shuffle(r.subset(VOLUMES)).map((name) =>
      r.pick([{ name, emptyDir: {} }, { name, hostPath: { path: "/x" } }, { name, configMap: { name: "cm" } }])
    );
  }
  if (r.chance(0.3)) pod.spec.tolerations = [{ key: "k", operator: "Exists" }];
  if (r.chance(0.3)) pod.spec.nodeSelector = { a: "b" };
  return pod;
}

/** A merge-keyed patch list over `keys`, sometimes with a `$setElementOrder` list (mostly consistent). */
function keyedList(
  r: Random,
  mergeKey: string,
  keys: readonly unknown[],
  body: () => Json,
): { list: Json[]; order?: Json[] } {
  const list: Json[] = r.shuffle(r.subset(keys)).map((key) => {
    const roll = r.next();
    if (roll < 0.15) return { [mergeKey]: key, $patch: "delete" };
    if (roll < 0.2) return { [mergeKey]: key, $patch: r.pick(["merge", "bogus", "replace"]) };
    return { [mergeKey]: key, ...body() };
  });
  if (r.chance(0.08)) list.push({ $patch: "replace" });
  if (r.chance(0.05)) list.push({ value: "no merge key" });
  if (!r.chance(0.5)) return { list };
  let order = list.filter((e) => e.$patch === undefined && e[mergeKey] !== undefined).map((e) => e[mergeKey]);
  for (const key of keys) {
    if (!order.includes(key) && r.chance(0.5)) order.splice(Math.floor(r.next() * (order.length + 1)), 0, key);
  }
  if (r.chance(0.1)) order = r.shuffle(order);
  return { list, order: order.map((key) => ({ [mergeKey]: key })) };
}

function setList(target: Json, field: string, { list, order }: { list: Json[]; order?: Json[] }) {
  target[field] = list;
  if (order) target[`$setElementOrder/${field}`] = order;
}

function containerPatch(r: Random): Json {
  const c: Json = {};
  if (r.chance(0.5)) c.image = r.pick(["new", null]);
  if (r.chance(0.4)) {
    setList(c, "env", keyedList(r, "name", ENV, () => (r.chance(0.7) ? { value: r.pick(["9", null]) } : {})));
  }
  if (r.chance(0.3)) {
    setList(c, "ports", keyedList(r, "containerPort", PORTS, () => ({ name: r.pick(["http", null]) })));
  }
  if (r.chance(0.2)) c.args = r.subset(["-x", "-a"]);
  if (r.chance(0.2)) {
    c.resources = r.pick([
      null,
      { limits: { memory: "1Gi", cpu: null } },
      { $patch: "replace", requests: { cpu: "2" } },
      { $patch: "delete" },
    ]);
  }
  if (r.chance(0.1)) {
    c.securityContext = {
      privileged: true,
      capabilities: { add: ["X"], drop: null },
      seLinuxOptions: { $patch: "delete" },
    };
  }
  return c;
}

/**
 * A random patch for `randomPod`. It never both adds and removes the same finalizer: apimachinery walks the patch
 * in Go map order, so such a patch has no single answer.
 *
 * @example
 * ```ts
 * randomPodPatch(new Random(7)).spec;
 * ```
 */
export function randomPodPatch(r: Random): Json {
  const patch: Json = { spec: {} };
  if (r.chance(0.3)) {
    const metadata: Json = patch.metadata = {};
    const added = r.chance(0.5) ? r.shuffle(r.subset(FINALIZERS)) : undefined;
    if (added) metadata.finalizers = added;
    if (r.chance(0.4)) {
      metadata["$deleteFromPrimitiveList/finalizers"] = r.subset(FINALIZERS).filter((f) => !added?.includes(f));
    }
    if (r.chance(0.3)) {
      metadata["$setElementOrder/finalizers"] = r.shuffle([...new Set([...(added ?? []), ...r.subset(FINALIZERS)])]);
    }
    if (r.chance(0.3)) {
      metadata.labels = r.pick([{ app: null, new: "1" }, { $patch: "replace", x: "1" }, { $patch: "delete" }]);
    }
  }
  const spec = patch.spec;
  if (r.chance(0.8)) setList(spec, "containers", keyedList(r, "name", NAMES, () => containerPatch(r)));
  if (r.chance(0.2)) setList(spec, "initContainers", keyedList(r, "name", NAMES, () => containerPatch(r)));
  if (r.chance(0.3)) {
    setList(
      spec,
      "volumes",
      keyedList(r, "name", VOLUMES, () =>
        r.pick([
          { $retainKeys: ["name", "hostPath"], hostPath: { path: "/y" } },
          { emptyDir: { medium: "Memory" } },
          { $retainKeys: ["name", "secret"], secret: { secretName: "s" }, emptyDir: null },
        ])),
    );
  }
  if (r.chance(0.2)) spec.tolerations = [{ key: "z", operator: "Exists" }];
  if (r.chance(0.1)) spec.nodeSelector = r.pick([null, { c: "d", a: null }]);
  if (r.chance(0.1)) {
    spec.hostAliases = [{ ip: "1.2.3.4", hostnames: ["x"], extra: null }, { ip: "5", $patch: "delete" }];
  }
  if (r.chance(0.05)) spec["$setElementOrder/hostAliases"] = [{ ip: "1.2.3.4" }];
  if (r.chance(0.05)) spec.$retainKeys = ["containers", "volumes"];
  if (r.chance(0.05)) spec.$patch = r.pick(["replace", "delete"]);
  return patch;
}
