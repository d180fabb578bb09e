/**
 * Cluster-level and bookkeeping kinds: Node, Namespace, Event (core and events.k8s.io), Lease,
 * PriorityClass, RuntimeClass, ComponentStatus, CertificateSigningRequest, APIService, FlowSchema,
 * PriorityLevelConfiguration.
 *
 * @module
 */

import {
  age,
  ageColumn,
  column,
  compare,
  humanDuration,
  int,
  list,
  meta,
  nameColumn,
  type Obj,
  type Printer,
  type Printers,
  rec,
  since,
  str,
  wide,
} from "./format.ts";

function name(obj: Obj): string {
  return str(meta(obj).name);
}

// ---- Node ----

const ROLE_PREFIX = "node-role.kubernetes.io/";

/**
 * The ROLES of a node, from `node-role.kubernetes.io/<role>` labels and the legacy `kubernetes.io/role`.
 *
 * @example nodeRoles({ metadata: { labels: { "node-role.kubernetes.io/control-plane": "true" } } }) // ["control-plane"]
 */
export function nodeRoles(node: Obj): string[] {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(rec(meta(node).labels))) {
    if (key.startsWith(ROLE_PREFIX)) {
      const role = key.slice(ROLE_PREFIX.length);
      if (role) roles.add(role);
    } else if (key === "kubernetes.io/role" && str(value)) {
      roles.add(str(value));
    }
  }
  return [...roles].sort(compare);
}

/**
 * The STATUS of a node: Ready / NotReady / Unknown, plus SchedulingDisabled when cordoned.
 *
 * @example nodeStatus(cordonedReadyNode) // "Ready,SchedulingDisabled"
 */
export function nodeStatus(node: Obj): string {
  // Later conditions of the same type win, as in kube's map.
  const ready = list(rec(node.status).conditions).map(rec).filter((c) => str(c.type) === "Ready").at(-1);
  const parts = [ready ? (str(ready.status) === "True" ? "Ready" : "NotReady") : "Unknown"];
  if (rec(node.spec).unschedulable === true) parts.push("SchedulingDisabled");
  return parts.join(",");
}

function nodeAddress(node: Obj, type: string): string {
  const found = list(rec(node.status).addresses).map(rec).find((a) => str(a.type) === type);
  return found ? str(found.address) : "<none>";
}

// ---- Event ----

/** events.k8s.io/v1 Events are the same objects under new field names; print them through the core shape. */
function asCoreEvent(event: Obj): Obj {
  return {
    metadata: event.metadata,
    involvedObject: event.regarding,
    reason: event.reason,
    message: event.note,
    source: event.deprecatedSource,
    firstTimestamp: event.deprecatedFirstTimestamp,
    lastTimestamp: event.deprecatedLastTimestamp,
    count: event.deprecatedCount,
    type: event.type,
    eventTime: event.eventTime,
    series: event.series,
    reportingComponent: event.reportingController,
    reportingInstance: event.reportingInstance,
  };
}

function eventSource(event: Obj): string {
  const source = rec(event.source);
  const component = str(source.component) || str(event.reportingComponent);
  const host = str(source.host) || str(event.reportingInstance);
  return host ? `${component}, ${host}` : component;
}

function eventCells(event: Obj, now: Date): unknown[] {
  const first = event.firstTimestamp ? since(event.firstTimestamp, now) : since(event.eventTime, now);
  let last = event.lastTimestamp ? since(event.lastTimestamp, now) : first;
  let count = int(event.count);
  const series = event.series;
  if (series !== undefined && series !== null) {
    last = since(rec(series).lastObservedTime, now);
    count = int(rec(series).count);
  } else if (count === 0) {
    // Singleton events of the new API carry no count.
    count = 1;
  }
  const involved = rec(event.involvedObject);
  const kind = str(involved.kind).toLowerCase();
  const target = str(involved.name) ? `${kind}/${str(involved.name)}` : kind;
  return [
    last,
    str(event.type),
    str(event.reason),
    target,
    str(involved.fieldPath),
    eventSource(event),
    str(event.message).trim(),
    first,
    count,
    name(event),
  ];
}

const eventColumns = () => [
  column("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
  column("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
  column(
    "Reason",
    "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
  ),
  column("Object", "The object that this event is about."),
  wide(
    "Subobject",
    "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].",
  ),
  wide("Source", "The component reporting this event. Should be a short machine understandable string."),
  column("Message", "A human-readable description of the status of this operation."),
  wide("First Seen", "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)"),
  wide("Count", "The number of times this event has occurred."),
  { ...nameColumn(), priority: 1 },
];

// ---- CertificateSigningRequest ----

/**
 * The CONDITION of a CSR: Denied / Approved / Pending, then Failed and Issued.
 *
 * @example csrCondition(approvedIssuedCsr) // "Approved,Issued"
 */
export function csrCondition(csr: Obj): string {
  const types = new Set(list(rec(csr.status).conditions).map((c) => str(rec(c).type)));
  let status = types.has("Denied") ? "Denied" : types.has("Approved") ? "Approved" : "Pending";
  if (types.has("Failed")) status += ",Failed";
  if (str(rec(csr.status).certificate)) status += ",Issued";
  return status;
}

// ---- APIService ----

function apiServiceAvailable(obj: Obj): string {
  const condition = list(rec(obj.status).conditions).map(rec).find((c) => str(c.type) === "Available");
  if (!condition) return "Unknown";
  const status = str(condition.status);
  if (status !== "True" && str(condition.reason)) return `${status} (${str(condition.reason)})`;
  return status;
}

// ---- flow control ----

const flowSchemaPrinter: Printer = {
  columns: [
    nameColumn(),
    column("PriorityLevel", "`name` is the name of the priority level configuration being referenced"),
    column(
      "MatchingPrecedence",
      "`matchingPrecedence` is used to choose among the FlowSchemas that match a given request.",
    ),
    column(
      "DistinguisherMethod",
      "`distinguisherMethod` defines how to compute the flow distinguisher for requests that match this schema.",
    ),
    ageColumn(),
    column("MissingPL", "references a broken or non-existent PriorityLevelConfiguration"),
  ],
  cells(obj, now) {
    const spec = rec(obj.spec);
    const dangling = list(rec(obj.status).conditions).map(rec).find((c) => str(c.type) === "Dangling");
    const method = spec.distinguisherMethod ? str(rec(spec.distinguisherMethod).type) : "<none>";
    return [
      name(obj),
      str(rec(spec.priorityLevelConfiguration).name),
      int(spec.matchingPrecedence),
      method,
      age(obj, now),
      dangling ? str(dangling.status) : "?",
    ];
  },
  // kube lists FlowSchemas in the order the API server evaluates them.
  order: (objs) =>
    [...objs].sort((a, b) =>
      int(rec(a.spec).matchingPrecedence) - int(rec(b.spec).matchingPrecedence) || compare(name(a), name(b))
    ),
};

function priorityLevelCells(obj: Obj, now: Date): unknown[] {
  const spec = rec(obj.spec);
  let shares: unknown = "<none>";
  let queues: unknown = "<none>";
  let handSize: unknown = "<none>";
  let queueLengthLimit: unknown = "<none>";
  if (spec.limited !== undefined && spec.limited !== null) {
    const limited = rec(spec.limited);
    // flowcontrol/v1 defaults nominalConcurrencyShares to 30.
    shares = typeof limited.nominalConcurrencyShares === "number" ? limited.nominalConcurrencyShares : 30;
    const queuing = rec(limited.limitResponse).queuing;
    if (queuing !== undefined && queuing !== null) {
      queues = int(rec(queuing).queues);
      handSize = int(rec(queuing).handSize);
      queueLengthLimit = int(rec(queuing).queueLengthLimit);
    }
  }
  return [name(obj), str(spec.type), shares, queues, handSize, queueLengthLimit, age(obj, now)];
}

/** Printers for cluster-level kinds. */
export const clusterPrinters: Printers = {
  "/Node": {
    columns: [
      nameColumn(),
      column("Status", "The status of the node"),
      column("Roles", "The roles of the node"),
      ageColumn(),
      column("Version", "Kubelet Version reported by the node."),
      wide("Internal-IP", "List of addresses reachable to the node."),
      wide("External-IP", "List of addresses reachable to the node."),
      wide("OS-Image", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy))."),
      wide("Kernel-Version", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
      wide(
        "Container-Runtime",
        "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).",
      ),
    ],
    cells(node, now) {
      const info = rec(rec(node.status).nodeInfo);
      return [
        name(node),
        nodeStatus(node),
        nodeRoles(node).join(",") || "<none>",
        age(node, now),
        str(info.kubeletVersion),
        nodeAddress(node, "InternalIP"),
        nodeAddress(node, "ExternalIP"),
        str(info.osImage) || "<unknown>",
        str(info.kernelVersion) || "<unknown>",
        str(info.containerRuntimeVersion) || "<unknown>",
      ];
    },
  },
  "/Namespace": {
    columns: [nameColumn(), column("Status", "The status of the namespace"), ageColumn()],
    // The API server defaults the phase to Active.
    cells: (ns, now) => [name(ns), str(rec(ns.status).phase) || "Active", age(ns, now)],
  },
  "/Event": { columns: eventColumns(), cells: eventCells },
  "events.k8s.io/Event": { columns: eventColumns(), cells: (event, now) => eventCells(asCoreEvent(event), now) },
  "coordination.k8s.io/Lease": {
    columns: [
      nameColumn(),
      column("Holder", "holderIdentity contains the identity of the holder of a current lease."),
      ageColumn(),
    ],
    cells: (lease, now) => [name(lease), str(rec(lease.spec).holderIdentity), age(lease, now)],
  },
  "scheduling.k8s.io/PriorityClass": {
    columns: [
      nameColumn(),
      column("Value", "value represents the integer value of this priority class.", { type: "integer" }),
      column(
        "Global-Default",
        "globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class.",
        {
          type: "boolean",
        },
      ),
      ageColumn(),
      column("PreemptionPolicy", "preemptionPolicy is the Policy for preempting pods with lower priority."),
    ],
    cells: (pc, now) => [
      name(pc),
      int(pc.value),
      pc.globalDefault === true,
      age(pc, now),
      // The API server defaults the policy to PreemptLowerPriority.
      typeof pc.preemptionPolicy === "string" ? pc.preemptionPolicy : "PreemptLowerPriority",
    ],
  },
  "node.k8s.io/RuntimeClass": {
    columns: [
      nameColumn(),
      column(
        "Handler",
        "handler specifies the underlying runtime and configuration that the CRI implementation will use to handle pods of this class.",
      ),
      ageColumn(),
    ],
    cells: (rc, now) => [name(rc), str(rc.handler), age(rc, now)],
  },
  "/ComponentStatus": {
    columns: [
      nameColumn(),
      column("Status", "Status of the component conditions"),
      column("Message", "Message of the component conditions"),
      column("Error", "Error of the component conditions"),
    ],
    cells(cs) {
      const healthy = list(cs.conditions).map(rec).find((c) => str(c.type) === "Healthy");
      if (!healthy) return [name(cs), "Unknown", "", ""];
      return [
        name(cs),
        str(healthy.status) === "True" ? "Healthy" : "Unhealthy",
        str(healthy.message),
        str(healthy.error),
      ];
    },
  },
  "certificates.k8s.io/CertificateSigningRequest": {
    columns: [
      nameColumn(),
      ageColumn(),
      column("SignerName", "Requested signer for the request."),
      column("Requestor", "Information about the requesting user."),
      column("RequestedDuration", "expirationSeconds is the requested duration of validity of the issued certificate."),
      column("Condition", "Conditions applied to the request, such as approval or denial."),
    ],
    cells(csr, now) {
      const spec = rec(csr.spec);
      const duration = typeof spec.expirationSeconds === "number"
        ? humanDuration(Math.trunc(spec.expirationSeconds) * 1000)
        : "<none>";
      return [
        name(csr),
        age(csr, now),
        str(spec.signerName) || "<none>",
        str(spec.username),
        duration,
        csrCondition(csr),
      ];
    },
  },
  "apiregistration.k8s.io/APIService": {
    columns: [
      nameColumn(),
      column("Service", "The reference to the service that hosts this API endpoint."),
      column("Available", "Whether this service is available."),
      ageColumn(),
    ],
    cells(svc, now) {
      const ref = rec(svc.spec).service;
      const service = ref ? `${str(rec(ref).namespace)}/${str(rec(ref).name)}` : "Local";
      return [name(svc), service, apiServiceAvailable(svc), age(svc, now)];
    },
  },
  "flowcontrol.apiserver.k8s.io/FlowSchema": flowSchemaPrinter,
  "flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration": {
    columns: [
      nameColumn(),
      column("Type", "`type` indicates whether this priority level is subject to limitation on request execution."),
      column(
        "NominalConcurrencyShares",
        "`nominalConcurrencyShares` (NCS) contributes to the computation of the NominalConcurrencyLimit (NominalCL) of this level.",
      ),
      column("Queues", "`queues` is the number of queues for this priority level."),
      column(
        "HandSize",
        "`handSize` is a small positive number that configures the shuffle sharding of requests into queues.",
      ),
      column(
        "QueueLengthLimit",
        "`queueLengthLimit` is the maximum number of requests allowed to be waiting in a given queue of this priority level at a time.",
      ),
      ageColumn(),
    ],
    cells: priorityLevelCells,
  },
};
