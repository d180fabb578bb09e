/**
 * The naming loop (apiextensions-apiserver's NamingConditionController): a CRD's requested names become its
 * `status.acceptedNames` unless another CRD of the same group already holds them, and `NamesAccepted` says
 * which: True/NoConflicts, or False with the conflicting name (`"widgets" is already in use`). A name that is
 * already accepted is kept, so an established CRD never loses its names to a newcomer; when a CRD goes away,
 * the others of its group are looked at again.
 *
 * @module
 */
import { type Client, isConflict, isNotFound } from "../client/mod.ts";
import { type Controller, controller, type Manager } from "../operator/mod.ts";
import {
  CUSTOM_RESOURCE_DEFINITIONS,
  type CustomResourceDefinition,
  type CustomResourceDefinitionCondition,
  type CustomResourceDefinitionNames,
  findCondition,
  setCondition,
} from "./types.ts";

/** Names with Go's zero values filled in, so absent and empty compare equal (kube's semantic equality). */
function normalized(names: Partial<CustomResourceDefinitionNames> | undefined): CustomResourceDefinitionNames {
  return {
    plural: names?.plural ?? "",
    singular: names?.singular ?? "",
    shortNames: names?.shortNames ?? [],
    kind: names?.kind ?? "",
    listKind: names?.listKind ?? "",
    categories: names?.categories ?? [],
  };
}

function sameNames(
  a: Partial<CustomResourceDefinitionNames> | undefined,
  b: Partial<CustomResourceDefinitionNames> | undefined,
): boolean {
  return JSON.stringify(normalized(a)) === JSON.stringify(normalized(b));
}

/** A requested name is fine if it is already ours or nobody's. */
function freshOrOurs(requested: string, accepted: string, used: Set<string>): string | undefined {
  if (requested === accepted || !used.has(requested)) return undefined;
  return `"${requested}" is already in use`;
}

/**
 * Accepted names and the NamesAccepted and Established conditions for `crd`, given the names the CRDs of its
 * group have accepted (`resources`: plurals, singulars, short names; `kinds`: kinds and list kinds).
 *
 * @example
 * ```ts
 * const [names, accepted] = acceptNames(crd, new Set(["widgets"]), new Set());
 * accepted.reason; // "PluralConflict"
 * ```
 */
export function acceptNames(
  crd: CustomResourceDefinition,
  resources: Set<string>,
  kinds: Set<string>,
): [CustomResourceDefinitionNames, CustomResourceDefinitionCondition, CustomResourceDefinitionCondition] {
  const requested = normalized(crd.spec.names);
  const accepted = normalized(crd.status?.acceptedNames);
  const names = { ...accepted };
  const condition: CustomResourceDefinitionCondition = { type: "NamesAccepted", status: "Unknown" };
  const conflict = (reason: string, message: string) => {
    condition.status = "False";
    condition.reason = reason;
    condition.message = message;
  };
  const plural = freshOrOurs(requested.plural, accepted.plural, resources);
  if (plural) conflict("PluralConflict", plural);
  else names.plural = requested.plural;
  const singular = freshOrOurs(requested.singular!, accepted.singular!, resources);
  if (singular) conflict("SingularConflict", singular);
  else names.singular = requested.singular;
  if (JSON.stringify(requested.shortNames) !== JSON.stringify(accepted.shortNames)) {
    const ours = new Set(accepted.shortNames);
    const errors = requested.shortNames!.filter((s) => !ours.has(s)).map((s) => freshOrOurs(s, "", resources))
      .filter((e): e is string => e !== undefined);
    if (errors.length) conflict("ShortNamesConflict", errors.length === 1 ? errors[0] : `[${errors.join(", ")}]`);
    else names.shortNames = requested.shortNames;
  }
  const kind = freshOrOurs(requested.kind, accepted.kind, kinds);
  if (kind) conflict("KindConflict", kind);
  else names.kind = requested.kind;
  const listKind = freshOrOurs(requested.listKind!, accepted.listKind!, kinds);
  if (listKind) conflict("ListKindConflict", listKind);
  else names.listKind = requested.listKind;
  names.categories = requested.categories;
  if (condition.status === "Unknown") {
    condition.status = "True";
    condition.reason = "NoConflicts";
    condition.message = "no conflicts found";
  }
  // Established follows in the establishing loop, once this server serves the names.
  let established: CustomResourceDefinitionCondition = findCondition(crd, "Established") ??
    { type: "Established", status: "False", reason: "NotAccepted", message: "not all names are accepted" };
  if (established.status !== "True" && condition.status === "True") {
    established = {
      type: "Established",
      status: "False",
      reason: "Installing",
      message: "the initial names have been accepted",
    };
  }
  return [names, condition, established];
}

/** Drop empty optional lists, as Go's `omitempty` does on the wire. */
function wireNames(names: CustomResourceDefinitionNames): CustomResourceDefinitionNames {
  const out: CustomResourceDefinitionNames = { plural: names.plural, kind: names.kind };
  if (names.singular) out.singular = names.singular;
  if (names.shortNames?.length) out.shortNames = names.shortNames;
  if (names.listKind) out.listKind = names.listKind;
  if (names.categories?.length) out.categories = names.categories;
  return out;
}

/**
 * The naming loop; it runs on every server (not only the leader), as in kube-apiserver.
 *
 * @example
 * ```ts
 * manager.add(namingController({ client, manager }));
 * ```
 */
export function namingController({ client, manager }: { client: Client; manager: Manager }): Controller {
  const cache = () => manager.cache(CUSTOM_RESOURCE_DEFINITIONS);
  // Our own latest writes, which the cache may not show yet (kube's mutation cache).
  const written = new Map<string, CustomResourceDefinition>();
  const latest = (crd: CustomResourceDefinition): CustomResourceDefinition => {
    const mine = written.get(crd.metadata!.name!);
    return mine && Number(mine.metadata?.resourceVersion) > Number(crd.metadata?.resourceVersion) ? mine : crd;
  };
  const usedNames = (group: string): [Set<string>, Set<string>] => {
    const resources = new Set<string>(), kinds = new Set<string>();
    for (const cached of cache().list() as CustomResourceDefinition[]) {
      if (cached.spec.group !== group) continue;
      const names = normalized(latest(cached).status?.acceptedNames);
      for (const n of [names.plural, names.singular!, ...names.shortNames!]) resources.add(n);
      kinds.add(names.kind).add(names.listKind!);
    }
    return [resources, kinds];
  };
  const sameGroup = (crd: CustomResourceDefinition) =>
    (cache().list() as CustomResourceDefinition[])
      .filter((o) => o.spec.group === crd.spec?.group && o.metadata?.name !== crd.metadata?.name)
      .map((o) => o.metadata!.name!);
  return controller("crd-naming")
    .for(CUSTOM_RESOURCE_DEFINITIONS)
    // A change of one CRD can free or take names another CRD of its group asked for.
    .watches(CUSTOM_RESOURCE_DEFINITIONS, (o) => sameGroup(o as CustomResourceDefinition))
    .withOptions({ needLeaderElection: false })
    .complete(async ({ name }) => {
      const cached = cache().get(name) as CustomResourceDefinition | undefined;
      if (!cached) {
        written.delete(name);
        return;
      }
      const crd = latest(cached);
      if (sameNames(crd.spec.names, crd.status?.acceptedNames)) return;
      const [resources, kinds] = usedNames(crd.spec.group);
      const [names, accepted, established] = acceptNames(crd, resources, kinds);
      const current = findCondition(crd, "NamesAccepted");
      if (
        sameNames(names, crd.status?.acceptedNames) && current?.status === accepted.status &&
        current?.reason === accepted.reason && current?.message === accepted.message
      ) return;
      const next = structuredClone(crd);
      next.status = { ...next.status, acceptedNames: wireNames(names) };
      setCondition(next, accepted);
      setCondition(next, established);
      try {
        written.set(name, await client.updateStatus(next));
      } catch (error) {
        // Deleted or changed meanwhile: the change brings us back.
        if (isNotFound(error) || isConflict(error)) return;
        throw error;
      }
    });
}
