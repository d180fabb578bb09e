/**
 * Workload controllers and what scales or protects them: Deployment, ReplicaSet,
 * ReplicationController, StatefulSet, DaemonSet, Job, CronJob, ControllerRevision,
 * HorizontalPodAutoscaler, PodDisruptionBudget.
 *
 * Replica counts that the API server defaults (to 1) are read with that default, so objects stored
 * without defaulting still print as kube would print them.
 *
 * @module
 */

import {
  age,
  ageColumn,
  boolPtr,
  column,
  containerCells,
  CONTAINERS_DESCRIPTION,
  dig,
  formatLabels,
  formatLabelSelector,
  humanDuration,
  IMAGES_DESCRIPTION,
  int,
  intOrString,
  labelSelectorString,
  list,
  meta,
  nameColumn,
  type Obj,
  parseTime,
  type Printer,
  type Printers,
  rec,
  since,
  str,
  wide,
} from "./format.ts";
import { canonicalQuantity } from "./quantity.ts";

function name(obj: Obj): string {
  return str(meta(obj).name);
}

/** A replica count the API server defaults to 1 when unset. */
function replicas(spec: Obj): number {
  return typeof spec.replicas === "number" ? Math.trunc(spec.replicas) : 1;
}

const containersColumn = () => wide("Containers", CONTAINERS_DESCRIPTION);
const imagesColumn = () => wide("Images", IMAGES_DESCRIPTION);
const selectorColumn = (description: string) => wide("Selector", description);

const SELECTOR_DESCRIPTION =
  "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels.";

function deploymentSelector(selector: unknown): string {
  try {
    return labelSelectorString(selector);
  } catch {
    return "<invalid>";
  }
}

/** A condition of the given type is True (kube looks only at the first of that type). */
function hasCondition(conditions: unknown, type: string): boolean {
  const found = list(conditions).map(rec).find((c) => str(c.type) === type);
  return found !== undefined && str(found.status) === "True";
}

function jobStatus(job: Obj): string {
  const conditions = rec(job.status).conditions;
  if (hasCondition(conditions, "Complete")) return "Complete";
  if (hasCondition(conditions, "Failed")) return "Failed";
  if (meta(job).deletionTimestamp) return "Terminating";
  if (hasCondition(conditions, "Suspended")) return "Suspended";
  if (hasCondition(conditions, "FailureTarget")) return "FailureTarget";
  return "Running";
}

function jobCompletions(job: Obj): string {
  const spec = rec(job.spec);
  const succeeded = int(rec(job.status).succeeded);
  if (typeof spec.completions === "number") return `${succeeded}/${Math.trunc(spec.completions)}`;
  // Completions unset means a work queue: done when one pod succeeds, however many run at once.
  const parallelism = int(spec.parallelism);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(job: Obj, now: Date): string {
  const status = rec(job.status);
  const start = parseTime(status.startTime);
  if (start === undefined) return "";
  const end = parseTime(status.completionTime);
  return humanDuration((end ?? now.getTime()) - start);
}

/** `group` of an `apiVersion` such as `apps/v1` ("" for `v1`). */
function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}

function controllerOf(obj: Obj): string {
  const owner = list(meta(obj).ownerReferences).map(rec).find((o) => o.controller === true);
  if (!owner) return "<none>";
  const group = groupOf(str(owner.apiVersion));
  const kind = str(owner.kind);
  if (!kind) return str(owner.name);
  return `${(group ? `${kind}.${group}` : kind).toLowerCase()}/${str(owner.name)}`;
}

// ---- HorizontalPodAutoscaler ----

/** A quantity as Go's `(*Quantity).String()` prints it, including the nil pointer. */
function quantity(value: unknown): string {
  return value === undefined || value === null ? "<nil>" : canonicalQuantity(value);
}

/** autoscaling/v1 objects carry one CPU target; seen as the v2 metric list they stand for. */
function hpaMetrics(hpa: Obj): { specs: Obj[]; statuses: Obj[] } {
  const spec = rec(hpa.spec);
  const status = rec(hpa.status);
  const specs = list(spec.metrics).map(rec);
  if (specs.length > 0) return { specs, statuses: list(status.currentMetrics).map(rec) };
  // The API server defaults an HPA without metrics (or a v1 one without a target) to 80% CPU.
  const target = typeof spec.targetCPUUtilizationPercentage === "number" ? spec.targetCPUUtilizationPercentage : 80;
  const cpu = {
    type: "Resource",
    resource: { name: "cpu", target: { type: "Utilization", averageUtilization: target } },
  };
  const statuses = list(status.currentMetrics).map(rec);
  if (statuses.length === 0 && typeof status.currentCPUUtilizationPercentage === "number") {
    statuses.push({
      type: "Resource",
      resource: { name: "cpu", current: { averageUtilization: status.currentCPUUtilizationPercentage } },
    });
  }
  return { specs: [cpu], statuses };
}

function percent(value: unknown, otherwise: string): string {
  return typeof value === "number" ? `${Math.trunc(value)}%` : otherwise;
}

/** One metric's "current/target" text; `current` is the status entry at the same index. */
function hpaMetric(spec: Obj, current: Obj | undefined): string {
  const type = str(spec.type);
  switch (type) {
    case "External":
    case "Object": {
      const source = type === "External" ? "external" : "object";
      const target = rec(dig(spec, source, "target"));
      const now = current?.[source] ? rec(dig(current, source, "current")) : undefined;
      if (target.averageValue !== undefined) {
        const cur = now && now.averageValue !== undefined ? quantity(now.averageValue) : "<unknown>";
        return `${cur}/${quantity(target.averageValue)} (avg)`;
      }
      return `${now ? quantity(now.value) : "<unknown>"}/${quantity(target.value)}`;
    }
    case "Pods": {
      const cur = current?.pods ? quantity(dig(current, "pods", "current", "averageValue")) : "<unknown>";
      return `${cur}/${quantity(dig(spec, "pods", "target", "averageValue"))}`;
    }
    case "Resource":
    case "ContainerResource": {
      const source = type === "Resource" ? "resource" : "containerResource";
      const metric = rec(spec[source]);
      const target = rec(metric.target);
      const now = current?.[source] ? rec(rec(current[source]).current) : undefined;
      if (target.averageValue !== undefined) {
        const cur = now ? quantity(now.averageValue) : "<unknown>";
        return `${str(metric.name)}: ${cur}/${quantity(target.averageValue)}`;
      }
      const cur = now ? percent(now.averageUtilization, "<unknown>") : "<unknown>";
      return `${str(metric.name)}: ${cur}/${percent(target.averageUtilization, "<auto>")}`;
    }
    default:
      return "<unknown type>";
  }
}

/**
 * The TARGETS cell of an HPA: at most two metrics, then "+ N more...".
 *
 * @example hpaTargets(hpa) // "cpu: 12%/80%"
 */
export function hpaTargets(hpa: Obj): string {
  const { specs, statuses } = hpaMetrics(hpa);
  if (specs.length === 0) return "<none>";
  const texts = specs.map((spec, i) => hpaMetric(spec, statuses[i]));
  if (texts.length > 2) return `${texts.slice(0, 2).join(", ")} + ${texts.length - 2} more...`;
  return texts.join(", ");
}

/** Printers for the workload family. */
/** ReplicaSets and ReplicationControllers print alike but for wording and the form of their selector. */
function replicaPrinter(what: string, selectorDescription: string, selector: (s: unknown) => string): Printer {
  return {
    columns: [
      nameColumn(),
      column("Desired", "Replicas is the number of desired replicas.", { type: "integer" }),
      column("Current", "Replicas is the most recently observed number of replicas.", { type: "integer" }),
      column("Ready", `The number of ready replicas for this ${what}.`, { type: "integer" }),
      ageColumn(),
      containersColumn(),
      imagesColumn(),
      selectorColumn(selectorDescription),
    ],
    cells(obj, now) {
      const spec = rec(obj.spec);
      const status = rec(obj.status);
      const [names, images] = containerCells(dig(spec, "template", "spec"));
      return [
        name(obj),
        replicas(spec),
        int(status.replicas),
        int(status.readyReplicas),
        age(obj, now),
        names,
        images,
        selector(spec.selector),
      ];
    },
  };
}

export const workloadPrinters: Printers = {
  "apps/Deployment": {
    columns: [
      nameColumn(),
      column("Ready", "Number of the pod with ready state"),
      column(
        "Up-to-date",
        "Total number of non-terminated pods targeted by this deployment that have the desired template spec.",
      ),
      column(
        "Available",
        "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.",
      ),
      ageColumn(),
      containersColumn(),
      imagesColumn(),
      selectorColumn(SELECTOR_DESCRIPTION),
    ],
    cells(obj, now) {
      const spec = rec(obj.spec);
      const status = rec(obj.status);
      const [names, images] = containerCells(dig(spec, "template", "spec"));
      return [
        name(obj),
        `${int(status.readyReplicas)}/${replicas(spec)}`,
        int(status.updatedReplicas),
        int(status.availableReplicas),
        age(obj, now),
        names,
        images,
        deploymentSelector(spec.selector),
      ];
    },
  },
  "apps/ReplicaSet": replicaPrinter(
    "replica set",
    "Selector is a label query over pods that should match the replica count.",
    formatLabelSelector,
  ),
  "/ReplicationController": replicaPrinter(
    "replication controller",
    "Selector is a label query over pods that should match the Replicas count.",
    formatLabels,
  ),
  "apps/StatefulSet": {
    columns: [
      nameColumn(),
      column("Ready", "Number of the pod with ready state"),
      ageColumn(),
      containersColumn(),
      imagesColumn(),
    ],
    cells(obj, now) {
      const spec = rec(obj.spec);
      const [names, images] = containerCells(dig(spec, "template", "spec"));
      return [name(obj), `${int(rec(obj.status).readyReplicas)}/${replicas(spec)}`, age(obj, now), names, images];
    },
  },
  "apps/DaemonSet": {
    columns: [
      nameColumn(),
      column("Desired", "The total number of nodes that should be running the daemon pod.", { type: "integer" }),
      column(
        "Current",
        "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.",
        {
          type: "integer",
        },
      ),
      column(
        "Ready",
        "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.",
        {
          type: "integer",
        },
      ),
      column("Up-to-date", "The total number of nodes that are running updated daemon pod", { type: "integer" }),
      column(
        "Available",
        "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.",
        { type: "integer" },
      ),
      column("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a node."),
      ageColumn(),
      containersColumn(),
      imagesColumn(),
      selectorColumn("A label query over pods that are managed by the daemon set."),
    ],
    cells(obj, now) {
      const status = rec(obj.status);
      const podSpec = dig(obj, "spec", "template", "spec");
      const [names, images] = containerCells(podSpec);
      return [
        name(obj),
        int(status.desiredNumberScheduled),
        int(status.currentNumberScheduled),
        int(status.numberReady),
        int(status.updatedNumberScheduled),
        int(status.numberAvailable),
        formatLabels(rec(podSpec).nodeSelector),
        age(obj, now),
        names,
        images,
        formatLabelSelector(rec(obj.spec).selector),
      ];
    },
  },
  "batch/Job": {
    columns: [
      nameColumn(),
      column("Status", "Status of the job."),
      column("Completions", "The number of pods which reached phase Succeeded."),
      column("Duration", "Time required to complete the job."),
      ageColumn(),
      containersColumn(),
      imagesColumn(),
      selectorColumn("A label query over pods that should match the pod count."),
    ],
    cells(obj, now) {
      const spec = rec(obj.spec);
      const [names, images] = containerCells(dig(spec, "template", "spec"));
      return [
        name(obj),
        jobStatus(obj),
        jobCompletions(obj),
        jobDuration(obj, now),
        age(obj, now),
        names,
        images,
        formatLabelSelector(spec.selector),
      ];
    },
  },
  "batch/CronJob": {
    columns: [
      nameColumn(),
      column("Schedule", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
      column(
        "Timezone",
        "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.",
      ),
      column(
        "Suspend",
        "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.",
        {
          type: "boolean",
        },
      ),
      column("Active", "A list of pointers to currently running jobs.", { type: "integer" }),
      column("Last Schedule", "Information when was the last time the job was successfully scheduled."),
      ageColumn(),
      containersColumn(),
      imagesColumn(),
      selectorColumn("A label query over pods that should match the pod count."),
    ],
    cells(obj, now) {
      const spec = rec(obj.spec);
      const status = rec(obj.status);
      const jobSpec = rec(dig(spec, "jobTemplate", "spec"));
      const [names, images] = containerCells(dig(jobSpec, "template", "spec"));
      const last = status.lastScheduleTime ? since(status.lastScheduleTime, now) : "<none>";
      return [
        name(obj),
        str(spec.schedule),
        typeof spec.timeZone === "string" ? spec.timeZone : "<none>",
        // The API server defaults suspend to false.
        boolPtr(spec.suspend ?? false),
        list(status.active).length,
        last,
        age(obj, now),
        names,
        images,
        formatLabelSelector(jobSpec.selector),
      ];
    },
  },
  "apps/ControllerRevision": {
    columns: [
      nameColumn(),
      column("Controller", "Controller of the object"),
      column("Revision", "Revision indicates the revision of the state represented by Data."),
      ageColumn(),
    ],
    cells: (obj, now) => [name(obj), controllerOf(obj), int(obj.revision), age(obj, now)],
  },
  "autoscaling/HorizontalPodAutoscaler": {
    columns: [
      nameColumn(),
      column(
        "Reference",
        "scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.",
      ),
      column("Targets", "metrics contains the specifications for which to use to calculate the desired replica count."),
      column(
        "MinPods",
        "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.",
      ),
      column(
        "MaxPods",
        "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.",
      ),
      column("Replicas", "currentReplicas is current number of replicas of pods managed by this autoscaler."),
      ageColumn(),
    ],
    cells(obj, now) {
      const spec = rec(obj.spec);
      const ref = rec(spec.scaleTargetRef);
      return [
        name(obj),
        `${str(ref.kind)}/${str(ref.name)}`,
        hpaTargets(obj),
        // The API server defaults minReplicas to 1.
        String(typeof spec.minReplicas === "number" ? Math.trunc(spec.minReplicas) : 1),
        int(spec.maxReplicas),
        int(rec(obj.status).currentReplicas),
        age(obj, now),
      ];
    },
  },
  "policy/PodDisruptionBudget": {
    columns: [
      nameColumn(),
      column("Min Available", "The minimum number of pods that must be available."),
      column("Max Unavailable", "The maximum number of pods that may be unavailable."),
      column("Allowed Disruptions", "Calculated number of pods that may be disrupted at this time.", {
        type: "integer",
      }),
      ageColumn(),
    ],
    cells(obj, now) {
      const spec = rec(obj.spec);
      return [
        name(obj),
        spec.minAvailable !== undefined && spec.minAvailable !== null ? intOrString(spec.minAvailable) : "N/A",
        spec.maxUnavailable !== undefined && spec.maxUnavailable !== null ? intOrString(spec.maxUnavailable) : "N/A",
        int(rec(obj.status).disruptionsAllowed),
        age(obj, now),
      ];
    },
  },
};
