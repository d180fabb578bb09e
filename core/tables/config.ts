/**
 * Configuration and accounting: ConfigMap, Secret, ServiceAccount, ResourceQuota. (LimitRange has no
 * printer in kube and falls back to the default Name / Created At table.)
 *
 * @module
 */

import {
  age,
  ageColumn,
  column,
  compare,
  list,
  meta,
  nameColumn,
  type Obj,
  type Printers,
  rec,
  str,
} from "./format.ts";
import { canonicalQuantity } from "./quantity.ts";

function name(obj: Obj): string {
  return str(meta(obj).name);
}

/**
 * The REQUEST and LIMIT cells of a ResourceQuota: `resource: used/hard` pairs in name order, split by
 * the `limits.` prefix.
 *
 * @example quotaCells(quota) // ["pods: 2/10, requests.cpu: 500m/2", "limits.memory: 1Gi/4Gi"]
 */
export function quotaCells(quota: Obj): [string, string] {
  const status = rec(quota.status);
  const hard = rec(status.hard);
  const used = rec(status.used);
  const requests: string[] = [];
  const limits: string[] = [];
  for (const resource of Object.keys(hard).sort(compare)) {
    const pieces = resource.split(".");
    const target = pieces.length > 1 && pieces[0] === "limits" ? limits : requests;
    target.push(`${resource}: ${canonicalQuantity(used[resource])}/${canonicalQuantity(hard[resource])}`);
  }
  return [requests.join(", "), limits.join(", ")];
}

/** Printers for the configuration family. */
export const configPrinters: Printers = {
  "/ConfigMap": {
    columns: [nameColumn(), column("Data", "Data contains the configuration data."), ageColumn()],
    cells: (cm, now) => [
      name(cm),
      Object.keys(rec(cm.data)).length + Object.keys(rec(cm.binaryData)).length,
      age(cm, now),
    ],
  },
  "/Secret": {
    columns: [
      nameColumn(),
      column("Type", "Used to facilitate programmatic handling of secret data."),
      column("Data", "Data contains the secret data."),
      ageColumn(),
    ],
    cells(secret, now) {
      // The API server folds write-only stringData into data.
      const keys = new Set([...Object.keys(rec(secret.data)), ...Object.keys(rec(secret.stringData))]);
      // The API server defaults the type to Opaque.
      return [name(secret), str(secret.type) || "Opaque", keys.size, age(secret, now)];
    },
  },
  "/ServiceAccount": {
    columns: [
      nameColumn(),
      column(
        "Secrets",
        "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.",
      ),
      ageColumn(),
    ],
    cells: (sa, now) => [name(sa), list(sa.secrets).length, age(sa, now)],
  },
  "/ResourceQuota": {
    columns: [
      nameColumn(),
      column("Request", "Request represents a minimum amount of cpu/memory that a container may consume."),
      column(
        "Limit",
        "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.",
      ),
      ageColumn(),
    ],
    cells(quota, now) {
      const [requests, limits] = quotaCells(quota);
      return [name(quota), requests, limits, age(quota, now)];
    },
  },
};
