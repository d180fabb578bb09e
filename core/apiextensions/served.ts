/**
 * The custom resources this server serves: for each CRD whose names are accepted, the resource of every served
 * version (as the registry, discovery and the router see it) with its schema, compiled CEL rules, subresources and
 * printer columns — what the write path needs to prune, default and validate custom objects.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { ResourceInfo } from "../registry/types.ts";
import { RuleValidator } from "./rules.ts";
import {
  crdName,
  type CustomResourceDefinition,
  type CustomResourceDefinitionVersion,
  type CustomResourceSubresourceScale,
  isConditionTrue,
  type JSONSchemaProps,
  storageVersion,
} from "./types.ts";

/** One served version of a custom resource. */
export interface ServedVersion {
  name: string;
  info: ResourceInfo;
  schema?: JSONSchemaProps;
  rules?: RuleValidator;
  /** The status subresource is on: main writes keep status, `/status` writes keep the rest. */
  status: boolean;
  scale?: CustomResourceSubresourceScale;
}

/** A CRD as it is being served. */
export interface ServedDefinition {
  /** `<plural>.<group>`. */
  name: string;
  crd: CustomResourceDefinition;
  group: string;
  plural: string;
  kind: string;
  namespaced: boolean;
  storageVersion: string;
  /** Deletion has begun: no creates, objects are being removed. */
  terminating: boolean;
  versions: Map<string, ServedVersion>;
}

/** The verbs of a served custom resource, in kube's discovery order; a terminating one can only be read and deleted. */
const VERBS = ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"];
const TERMINATING_VERBS = ["delete", "deletecollection", "get", "list", "watch"];
const SUBRESOURCE_VERBS = ["get", "patch", "update"];

/**
 * Discovery's storage version hash: base64 of the first 8 bytes of sha256 of `group/version/Kind`.
 *
 * @example
 * ```ts
 * storageVersionHash("example.com", "v1", "Widget");
 * ```
 */
export function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash("sha256").update(`${group}/${version}/${kind}`).digest().subarray(0, 8).toString("base64");
}

/**
 * Whether a CRD is served: kube serves it once its names are accepted, and keeps serving it once established.
 *
 * @example
 * ```ts
 * isServable(crd); // true when NamesAccepted or Established is True
 * ```
 */
export function isServable(crd: CustomResourceDefinition): boolean {
  return isConditionTrue(crd, "NamesAccepted") || isConditionTrue(crd, "Established");
}

function resourceInfo(
  crd: CustomResourceDefinition,
  v: CustomResourceDefinitionVersion,
  storage: string,
): ResourceInfo {
  const names = crd.status?.acceptedNames ?? crd.spec.names;
  const { group } = crd.spec;
  const subresources: ResourceInfo["subresources"] = [];
  if (v.subresources?.status) {
    subresources.push({ name: "status", kind: names.kind, group, version: v.name, verbs: SUBRESOURCE_VERBS });
  }
  if (v.subresources?.scale) {
    subresources.push({ name: "scale", kind: "Scale", group: "autoscaling", version: "v1", verbs: SUBRESOURCE_VERBS });
  }
  const terminating = isConditionTrue(crd, "Terminating");
  return {
    group,
    version: v.name,
    resource: names.plural,
    singular: names.singular ?? names.kind.toLowerCase(),
    kind: names.kind,
    listKind: names.listKind ?? `${names.kind}List`,
    namespaced: crd.spec.scope === "Namespaced",
    shortNames: names.shortNames ?? [],
    categories: names.categories ?? [],
    verbs: terminating ? TERMINATING_VERBS : VERBS,
    subresources,
    storageVersionHash: storageVersionHash(group, storage, crd.spec.names.kind),
    schema: v.schema?.openAPIV3Schema,
    printerColumns: v.additionalPrinterColumns ?? [],
    ...(v.subresources?.scale ? { scale: v.subresources.scale } : {}),
  };
}

/**
 * Everything needed to serve `crd` (compiles its CEL rules).
 *
 * @example
 * ```ts
 * const served = serveDefinition(crd);
 * served.versions.get("v1")?.info.resource; // "widgets"
 * ```
 */
export function serveDefinition(crd: CustomResourceDefinition): ServedDefinition {
  const names = crd.status?.acceptedNames ?? crd.spec.names;
  const storage = storageVersion(crd) ?? crd.spec.versions[0]?.name ?? "";
  const versions = new Map<string, ServedVersion>();
  for (const v of crd.spec.versions ?? []) {
    if (!v.served) continue;
    const schema = v.schema?.openAPIV3Schema;
    versions.set(v.name, {
      name: v.name,
      info: resourceInfo(crd, v, storage),
      schema,
      rules: RuleValidator.build(schema),
      status: Boolean(v.subresources?.status),
      scale: v.subresources?.scale,
    });
  }
  return {
    name: crdName(crd.spec.group, crd.spec.names.plural),
    crd,
    group: crd.spec.group,
    plural: names.plural,
    kind: names.kind,
    namespaced: crd.spec.scope === "Namespaced",
    storageVersion: storage,
    terminating: isConditionTrue(crd, "Terminating"),
    versions,
  };
}

/**
 * The served CRDs, by name and by the resource they serve.
 *
 * @example
 * ```ts
 * const crds = new CustomResources();
 * crds.set(serveDefinition(crd));
 * crds.lookup("example.com", "widgets")?.storageVersion; // "v1"
 * ```
 */
export class CustomResources {
  readonly #byName = new Map<string, ServedDefinition>();
  readonly #byResource = new Map<string, ServedDefinition>();

  /** The definition serving `group`/`resource`, if any. */
  lookup(group: string, resource: string): ServedDefinition | undefined {
    return this.#byResource.get(`${group}/${resource}`);
  }

  /** The definition of CRD `name`, if served. */
  get(name: string): ServedDefinition | undefined {
    return this.#byName.get(name);
  }

  /** Every served definition. */
  all(): ServedDefinition[] {
    return [...this.#byName.values()];
  }

  /** Serve `definition`, replacing what its CRD served before. */
  set(definition: ServedDefinition): void {
    this.delete(definition.name);
    this.#byName.set(definition.name, definition);
    this.#byResource.set(`${definition.group}/${definition.plural}`, definition);
  }

  /** Stop serving CRD `name`; returns what it served. */
  delete(name: string): ServedDefinition | undefined {
    const previous = this.#byName.get(name);
    if (!previous) return undefined;
    this.#byName.delete(name);
    this.#byResource.delete(`${previous.group}/${previous.plural}`);
    return previous;
  }
}
