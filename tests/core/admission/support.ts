/** Shared helpers for the admission tests: default then validate, as kube-apiserver does. */

import type { StatusCause } from "../../../core/api/status.ts";
import { invalid } from "../../../core/api/status.ts";
import { applyDefaults } from "../../../core/admission/defaults.ts";
import { validateCreate, validateUpdate } from "../../../core/admission/validate.ts";

// deno-lint-ignore no-explicit-any
export type Any = any;

/** `applyDefaults`, typed loosely for assertions. */
export function defaults(group: string, kind: string, object: Any, operation: "create" | "update" = "create"): Any {
  return applyDefaults(group, kind, object, operation);
}

/** Defaults then validates a create body, returning the causes. */
export function create(group: string, kind: string, object: Any): StatusCause[] {
  applyDefaults(group, kind, object, "create");
  return validateCreate(group, kind, object);
}

/** Defaults then validates an update body against a stored (already defaulted) object. */
export function update(group: string, kind: string, object: Any, old: Any): StatusCause[] {
  applyDefaults(group, kind, object, "update");
  return validateUpdate(group, kind, object, old);
}

/** The `Status.message` kubectl prints after "The ", for these causes. */
export function message(group: string, kind: string, name: string, causes: StatusCause[]): string {
  return invalid({ group, kind }, name, causes).message;
}

/** `field: message` lines, the compact form tests compare against. */
export function lines(causes: StatusCause[]): string[] {
  return causes.map((c) => `${c.field}: ${c.message}`);
}

/** A stored object: defaulted, with the metadata the REST layer adds. */
export function stored(group: string, kind: string, object: Any): Any {
  object.metadata = { uid: "11111111-2222-3333-4444-555555555555", resourceVersion: "7", ...object.metadata };
  return applyDefaults(group, kind, object, "create");
}

/** A minimal valid container. */
export function container(name = "app", image = "nginx:1.27"): Any {
  return { name, image };
}

/** A minimal valid pod template for a workload selecting `app: <app>`. */
export function podTemplate(app = "web"): Any {
  return { metadata: { labels: { app } }, spec: { containers: [container()] } };
}

export const ns = "default";

export const subdomainMessage =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

export const labelMessage =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
