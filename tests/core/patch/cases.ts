/**
 * Strategic merge patch cases with their expected results, shared by `strategic_test.ts` (our implementation) and
 * `kubectl_oracle_test.ts` (kubectl 1.32 applying the same patch locally, with its compiled-in Go types). The
 * patches marked "captured" are what kubectl 1.32 itself sent for that command.
 *
 * @module
 */

// deno-lint-ignore no-explicit-any
type Json = any;

export interface PatchCase {
  /** The behaviour the case pins. */
  name: string;
  gvk: [group: string, version: string, kind: string];
  original: Json;
  patch: Json;
  /** The patched object, or the error message and HTTP status. */
  expected: { value: Json } | { error: string; status: 400 | 422 | 500 };
}

const deployment = (spec: Json, metadata: Json = {}): Json => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "default", ...metadata },
  spec: { selector: { matchLabels: { app: "web" } }, ...spec },
});

const podTemplate = (podSpec: Json): Json => ({ metadata: { labels: { app: "web" } }, spec: podSpec });

const pod = (spec: Json, metadata: Json = {}): Json => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p", namespace: "default", ...metadata },
  spec,
});

const configMap = (metadata: Json, data: Json): Json => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "cm", namespace: "default", ...metadata },
  data,
});

const DEPLOYMENT: PatchCase["gvk"] = ["apps", "v1", "Deployment"];
const POD: PatchCase["gvk"] = ["", "v1", "Pod"];
const CONFIGMAP: PatchCase["gvk"] = ["", "v1", "ConfigMap"];
const SERVICE: PatchCase["gvk"] = ["", "v1", "Service"];

const PDB = { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "pdb" } };

const abc = [{ name: "a", image: "a" }, { name: "b", image: "b" }, { name: "c", image: "c" }];

const webAndSide = (web: Json = {}) => [
  {
    name: "web",
    image: "nginx",
    env: [{ name: "A", value: "1" }, { name: "B", value: "2" }],
    ports: [{ containerPort: 80, protocol: "TCP" }],
    ...web,
  },
  { name: "side", image: "busybox" },
];

const rolling = { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: "25%" } };

export const CASES: PatchCase[] = [
  {
    name: "maps merge recursively and null deletes a key (labels, ConfigMap data)",
    gvk: CONFIGMAP,
    original: configMap({ labels: { a: "1", b: "2" } }, { x: "1", y: "2" }),
    patch: { metadata: { labels: { b: null, c: "3" } }, data: { x: "9", z: null } },
    expected: { value: configMap({ labels: { a: "1", c: "3" } }, { x: "9", y: "2" }) },
  },
  {
    name: "lists without a patch strategy are replaced (tolerations are atomic, args)",
    gvk: POD,
    original: pod({
      containers: [{ name: "c", image: "i", args: ["-a", "-b"] }],
      tolerations: [{ key: "a", operator: "Exists" }, { key: "b", operator: "Exists" }],
    }),
    patch: { spec: { containers: [{ name: "c", args: ["-z"] }], tolerations: [{ key: "b", operator: "Exists" }] } },
    expected: {
      value: pod({
        containers: [{ name: "c", image: "i", args: ["-z"] }],
        tolerations: [{ key: "b", operator: "Exists" }],
      }),
    },
  },
  {
    name: "merge-keyed elements merge by name and a new element follows the patched ones",
    gvk: DEPLOYMENT,
    original: deployment({ template: podTemplate({ containers: abc }) }),
    patch: { spec: { template: { spec: { containers: [{ name: "b", image: "B" }, { name: "d", image: "d" }] } } } },
    expected: {
      value: deployment({
        template: podTemplate({
          containers: [abc[0], { name: "b", image: "B" }, { name: "d", image: "d" }, abc[2]],
        }),
      }),
    },
  },
  {
    name: "container ports merge by containerPort",
    gvk: POD,
    original: pod({ containers: [{ name: "c", ports: [{ containerPort: 80, protocol: "TCP", name: "http" }] }] }),
    patch: {
      spec: { containers: [{ name: "c", ports: [{ containerPort: 80, name: "web" }, { containerPort: 443 }] }] },
    },
    expected: {
      value: pod({
        containers: [{
          name: "c",
          ports: [{ containerPort: 80, protocol: "TCP", name: "web" }, { containerPort: 443 }],
        }],
      }),
    },
  },
  {
    name: "captured kubectl set image: one container's image changes, $setElementOrder keeps the order",
    gvk: DEPLOYMENT,
    original: deployment({ template: podTemplate({ containers: webAndSide() }) }),
    patch: {
      spec: {
        template: {
          spec: {
            "$setElementOrder/containers": [{ name: "web" }, { name: "side" }],
            containers: [{ image: "nginx:1.27", name: "web" }],
          },
        },
      },
    },
    expected: { value: deployment({ template: podTemplate({ containers: webAndSide({ image: "nginx:1.27" }) }) }) },
  },
  {
    name: "captured kubectl set env: env merges by name and {name, $patch: delete} removes one",
    gvk: DEPLOYMENT,
    original: deployment({ template: podTemplate({ containers: webAndSide() }) }),
    patch: {
      spec: {
        template: {
          spec: {
            "$setElementOrder/containers": [{ name: "web" }, { name: "side" }],
            containers: [{
              "$setElementOrder/env": [{ name: "B" }, { name: "C" }],
              env: [{ name: "C", value: "3" }, { $patch: "delete", name: "A" }],
              name: "web",
            }],
          },
        },
      },
    },
    expected: {
      value: deployment({
        template: podTemplate({
          containers: webAndSide({ env: [{ name: "B", value: "2" }, { name: "C", value: "3" }] }),
        }),
      }),
    },
  },
  {
    name: "captured kubectl rollout restart: a template annotation is added",
    gvk: DEPLOYMENT,
    original: deployment({ template: podTemplate({ containers: webAndSide() }) }),
    patch: {
      spec: {
        template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": "2025-01-01T00:00:00Z" } } },
      },
    },
    expected: {
      value: deployment({
        template: {
          metadata: {
            labels: { app: "web" },
            annotations: { "kubectl.kubernetes.io/restartedAt": "2025-01-01T00:00:00Z" },
          },
          spec: { containers: webAndSide() },
        },
      }),
    },
  },
  {
    name:
      "captured kubectl apply: $retainKeys switches RollingUpdate to Recreate, containers reorder, env and ports merge",
    gvk: DEPLOYMENT,
    original: deployment({ replicas: 1, strategy: rolling, template: podTemplate({ containers: webAndSide() }) }),
    patch: {
      spec: {
        strategy: { $retainKeys: ["type"], rollingUpdate: null, type: "Recreate" },
        template: {
          spec: {
            "$setElementOrder/containers": [{ name: "side" }, { name: "web" }],
            containers: [{ image: "busybox:2", name: "side" }, {
              "$setElementOrder/env": [{ name: "B" }, { name: "C" }],
              "$setElementOrder/ports": [{ containerPort: 80 }, { containerPort: 443 }],
              env: [{ name: "B", value: "3" }, { name: "C", value: "4" }, { $patch: "delete", name: "A" }],
              name: "web",
              ports: [{ containerPort: 443 }],
            }],
          },
        },
      },
    },
    expected: {
      value: deployment({
        replicas: 1,
        strategy: { type: "Recreate" },
        template: podTemplate({
          containers: [{ name: "side", image: "busybox:2" }, {
            name: "web",
            image: "nginx",
            env: [{ name: "B", value: "3" }, { name: "C", value: "4" }],
            ports: [{ containerPort: 80, protocol: "TCP" }, { containerPort: 443 }],
          }],
        }),
      }),
    },
  },
  {
    name: "captured kubectl apply: finalizers via $deleteFromPrimitiveList, ownerReferences by uid, data key removed",
    gvk: CONFIGMAP,
    original: configMap({
      finalizers: ["x.io/a", "x.io/b"],
      ownerReferences: [
        { apiVersion: "v1", kind: "Pod", name: "o1", uid: "u-1" },
        { apiVersion: "v1", kind: "Pod", name: "o2", uid: "u-2" },
      ],
    }, { a: "1", b: "2" }),
    patch: {
      data: { a: null, c: "3" },
      metadata: {
        "$deleteFromPrimitiveList/finalizers": ["x.io/a"],
        "$setElementOrder/finalizers": ["x.io/b", "x.io/c"],
        "$setElementOrder/ownerReferences": [{ uid: "u-2" }, { uid: "u-3" }],
        finalizers: ["x.io/c"],
        ownerReferences: [{ apiVersion: "v1", kind: "Pod", name: "o3", uid: "u-3" }, { $patch: "delete", uid: "u-1" }],
      },
    },
    expected: {
      value: configMap({
        finalizers: ["x.io/b", "x.io/c"],
        ownerReferences: [
          { apiVersion: "v1", kind: "Pod", name: "o2", uid: "u-2" },
          { apiVersion: "v1", kind: "Pod", name: "o3", uid: "u-3" },
        ],
      }, { b: "2", c: "3" }),
    },
  },
  {
    name: "captured kubectl apply: Service ports merge by port, one deleted, order from $setElementOrder",
    gvk: SERVICE,
    original: {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "s", namespace: "default" },
      spec: {
        clusterIP: "10.43.0.10",
        ports: [
          { name: "http", port: 80, targetPort: 8080, protocol: "TCP" },
          { name: "metrics", port: 9090, targetPort: 9090, protocol: "TCP" },
        ],
      },
    },
    patch: {
      spec: {
        "$setElementOrder/ports": [{ port: 443 }, { port: 80 }],
        ports: [{ name: "https", port: 443, targetPort: 8443 }, { port: 80, targetPort: 8081 }, {
          $patch: "delete",
          port: 9090,
        }],
      },
    },
    expected: {
      value: {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "s", namespace: "default" },
        spec: {
          clusterIP: "10.43.0.10",
          ports: [
            { name: "https", port: 443, targetPort: 8443 },
            { name: "http", port: 80, targetPort: 8081, protocol: "TCP" },
          ],
        },
      },
    },
  },
  {
    name: "captured kubectl apply: pod volume switches emptyDir to hostPath via $retainKeys, volumeMounts by mountPath",
    gvk: POD,
    original: pod({
      containers: [{ name: "c", image: "nginx", volumeMounts: [{ name: "v", mountPath: "/a" }] }],
      volumes: [{ name: "v", emptyDir: {} }],
      tolerations: [{ key: "a", operator: "Exists" }, { key: "b", operator: "Exists" }],
    }),
    patch: {
      spec: {
        "$setElementOrder/containers": [{ name: "c" }],
        "$setElementOrder/volumes": [{ name: "v" }],
        containers: [{
          "$setElementOrder/volumeMounts": [{ mountPath: "/b" }],
          name: "c",
          volumeMounts: [{ mountPath: "/b", name: "v" }, { $patch: "delete", mountPath: "/a" }],
        }],
        tolerations: [{ key: "b", operator: "Exists" }],
        volumes: [{ $retainKeys: ["hostPath", "name"], emptyDir: null, hostPath: { path: "/data" }, name: "v" }],
      },
    },
    expected: {
      value: pod({
        containers: [{ name: "c", image: "nginx", volumeMounts: [{ name: "v", mountPath: "/b" }] }],
        volumes: [{ name: "v", hostPath: { path: "/data" } }],
        tolerations: [{ key: "b", operator: "Exists" }],
      }),
    },
  },
  {
    name: "$setElementOrder alone reorders; elements it does not name keep their live place",
    gvk: POD,
    original: pod({ containers: abc }),
    patch: { spec: { "$setElementOrder/containers": [{ name: "c" }, { name: "a" }] } },
    expected: { value: pod({ containers: [abc[1], abc[2], abc[0]] }) },
  },
  {
    name: "{$patch: replace} as a list element makes the rest of the patch list the whole list",
    gvk: POD,
    original: pod({ containers: abc }),
    patch: { spec: { containers: [{ name: "z", image: "z" }, { $patch: "replace" }] } },
    expected: { value: pod({ containers: [{ name: "z", image: "z" }] }) },
  },
  {
    name: "$patch: replace on a map replaces the whole map",
    gvk: POD,
    original: pod({ containers: [{ name: "c", resources: { limits: { cpu: "1" }, requests: { cpu: "1" } } }] }),
    patch: { spec: { containers: [{ name: "c", resources: { $patch: "replace", limits: { memory: "1Gi" } } }] } },
    expected: { value: pod({ containers: [{ name: "c", resources: { limits: { memory: "1Gi" } } }] }) },
  },
  {
    name: "$patch: delete on a map leaves it empty",
    gvk: DEPLOYMENT,
    original: deployment({ strategy: rolling }),
    patch: { spec: { strategy: { $patch: "delete" } } },
    expected: { value: deployment({ strategy: {} }) },
  },
  {
    name: "a patchStrategy replace field (PodDisruptionBudget selector) is replaced, not merged",
    gvk: ["policy", "v1", "PodDisruptionBudget"],
    original: { ...PDB, spec: { minAvailable: 1, selector: { matchLabels: { a: "1" } } } },
    patch: { spec: { selector: { matchLabels: { b: "2" } } } },
    expected: { value: { ...PDB, spec: { minAvailable: 1, selector: { matchLabels: { b: "2" } } } } },
  },
  {
    name: "finalizers merge as a set: duplicates dropped, patched values first",
    gvk: CONFIGMAP,
    original: configMap({ finalizers: ["a", "b"] }, {}),
    patch: { metadata: { finalizers: ["c", "a"] } },
    expected: { value: configMap({ finalizers: ["c", "a", "b"] }, {}) },
  },
  {
    name: "$deleteFromPrimitiveList removes values from a set list",
    gvk: CONFIGMAP,
    original: configMap({ finalizers: ["a", "b", "c"] }, {}),
    patch: { metadata: { "$deleteFromPrimitiveList/finalizers": ["b", "x"] } },
    expected: { value: configMap({ finalizers: ["a", "c"] }, {}) },
  },
  {
    name: "a value of another JSON type replaces (maxUnavailable 1 → 25%)",
    gvk: DEPLOYMENT,
    original: deployment({ strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } } }),
    patch: { spec: { strategy: { rollingUpdate: { maxUnavailable: "25%" } } } },
    expected: { value: deployment({ strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%" } } }) },
  },
  {
    name: "a value added where there was none drops its null fields and $patch maps",
    gvk: POD,
    original: pod({ containers: [{ name: "c" }] }),
    patch: {
      spec: {
        securityContext: { runAsUser: 1, runAsGroup: null, seLinuxOptions: { $patch: "delete" } },
        initContainers: [{ name: "i", image: null }, { name: "gone", $patch: "delete" }],
      },
    },
    expected: {
      value: pod({ containers: [{ name: "c" }], securityContext: { runAsUser: 1 }, initContainers: [{ name: "i" }] }),
    },
  },
  {
    name: "a new list element is kept as sent (nulls included) and goes before the elements the patch leaves alone",
    gvk: POD,
    original: pod({ containers: [{ name: "c" }] }),
    patch: { spec: { containers: [{ name: "d", image: null }] } },
    expected: { value: pod({ containers: [{ name: "d", image: null }, { name: "c" }] }) },
  },
  {
    name: "top-level $patch: replace swaps the whole object",
    gvk: CONFIGMAP,
    original: configMap({}, { a: "1" }),
    patch: { $patch: "replace", apiVersion: "v1", kind: "ConfigMap", metadata: { name: "new" }, data: { b: "2" } },
    expected: { value: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "new" }, data: { b: "2" } } },
  },
  {
    name: "a patch element without the merge key is refused",
    gvk: DEPLOYMENT,
    original: deployment({ template: podTemplate({ containers: abc }) }),
    patch: { spec: { template: { spec: { containers: [{ image: "x" }] } } } },
    expected: { error: "map: map[image:x] does not contain declared merge key: name", status: 500 },
  },
  {
    name: "$patch with an unknown value is refused",
    gvk: POD,
    original: pod({ containers: abc }),
    patch: { spec: { containers: [{ name: "a", $patch: "bogus" }] } },
    expected: { error: "unknown patch type: bogus in map: map[$patch:bogus name:a]", status: 500 },
  },
  {
    name: "$patch: merge is refused on a map, as apimachinery does",
    gvk: DEPLOYMENT,
    original: deployment({ strategy: rolling }),
    patch: { spec: { strategy: { $patch: "merge", type: "Recreate" } } },
    expected: { error: "unknown patch type: merge in map: map[$patch:merge type:Recreate]", status: 500 },
  },
  {
    name: "$patch: merge is refused as a list element",
    gvk: POD,
    original: pod({ containers: abc }),
    patch: { spec: { containers: [{ name: "a", $patch: "merge" }] } },
    expected: { error: "merging lists cannot yet be specified in the patch", status: 500 },
  },
  {
    name: "$retainKeys must list every field the patch sets",
    gvk: DEPLOYMENT,
    original: deployment({ strategy: rolling }),
    patch: { spec: { strategy: { $retainKeys: ["type"], rollingUpdate: { maxSurge: 2 } } } },
    expected: { error: "invalid patch format of retainKeys", status: 400 },
  },
  {
    name: "$retainKeys must be a list",
    gvk: DEPLOYMENT,
    original: deployment({ strategy: rolling }),
    patch: { spec: { strategy: { $retainKeys: "type" } } },
    expected: { error: "invalid patch format of retainKeys", status: 400 },
  },
  {
    name: "$setElementOrder that contradicts the patch list is refused",
    gvk: POD,
    original: pod({ containers: abc }),
    patch: {
      spec: {
        "$setElementOrder/containers": [{ name: "c" }, { name: "a" }],
        containers: [{ name: "a", image: "A" }, { name: "c", image: "C" }],
      },
    },
    expected: {
      error: "The order in patch list:\n[map[image:A name:a] map[image:C name:c]]\n doesn't match $setElementOrder " +
        "list:\n[map[name:c] map[name:a]]\n",
      status: 500,
    },
  },
  {
    name: "$setElementOrder of a map field is refused",
    gvk: DEPLOYMENT,
    original: deployment({ strategy: rolling }),
    patch: { "$setElementOrder/spec": [1] },
    expected: { error: "expected a []interface {}, but received a map[string]interface {}", status: 500 },
  },
  {
    name: "list elements of different JSON types are refused",
    gvk: CONFIGMAP,
    original: configMap({ finalizers: ["a"] }, {}),
    patch: { metadata: { finalizers: [{ a: 1 }] } },
    expected: { error: "list element types are not identical: [[a] [map[a:1]]]", status: 500 },
  },
  {
    name: "lists of lists are refused with 422",
    gvk: CONFIGMAP,
    original: configMap({ finalizers: [] }, {}),
    patch: { metadata: { finalizers: [["a"]] } },
    expected: { error: "lists of lists are not supported", status: 422 },
  },
];
