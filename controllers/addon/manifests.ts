/**
 * Reading a manifest file into objects as K3s does: every YAML (or JSON) document in order, empty documents ignored,
 * `List`s flattened into their items. YAML is read as Go's YAML library reads it (YAML 1.1: `yes`/`on` are booleans,
 * `0777` is octal, `<<` merges) except that timestamps and `1:20` stay strings, as they do when Kubernetes converts
 * YAML to JSON. A file with any bad document is refused whole, naming the document: applying the rest would prune
 * the objects of the bad one.
 *
 * @module
 */
import { parseAllDocuments, type Tags } from "yaml";
import type { KubeObject } from "../../core/operator/mod.ts";

/** An object read from a manifest, with the (1-based) number of the document it came from. */
export interface ManifestObject {
  document: number;
  object: KubeObject & { apiVersion: string; kind: string };
}

/** A manifest that does not read as Kubernetes objects; `document` is 1-based. */
export class ManifestParseError extends Error {
  override name = "ManifestParseError";
  constructor(readonly document: number, readonly reason: string) {
    super(`document ${document}: ${reason}`);
  }
}

const YAML_OPTIONS = {
  version: "1.1" as const,
  merge: true,
  uniqueKeys: false,
  customTags: (tags: Tags) =>
    tags.filter((t) => typeof t === "string" || (t.tag !== "tag:yaml.org,2002:timestamp" && t.format !== "TIME")),
};

/**
 * The objects of a manifest, in document order; throws {@linkcode ManifestParseError} for the first bad document.
 *
 * @example
 * ```ts
 * parseManifest("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n# nothing\n");
 * // [{ document: 1, object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" } } }]
 * ```
 */
export function parseManifest(content: string): ManifestObject[] {
  const objects: ManifestObject[] = [];
  const documents = parseAllDocuments(content.replace(/^\uFEFF/, ""), YAML_OPTIONS);
  for (const [index, doc] of documents.entries()) {
    const document = index + 1;
    const error = doc.errors[0];
    if (error) throw new ManifestParseError(document, firstLine(error.message));
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) continue;
    if (!isObject(value)) throw new ManifestParseError(document, `a document must be an object, not ${typeOf(value)}`);
    for (const object of flatten(value, document)) objects.push({ document, object });
  }
  return objects;
}

/** A List's items get its apiVersion and item kind when they name neither, as apimachinery decodes typed lists. */
function flatten(value: Record<string, unknown>, document: number): ManifestObject["object"][] {
  if (value.items === undefined || value.items === null) return [checked(value, document)];
  if (!Array.isArray(value.items)) {
    throw new ManifestParseError(document, `the items of a list must be an array, not ${typeOf(value.items)}`);
  }
  const itemKind = typeof value.kind === "string" ? value.kind.replace(/List$/, "") : undefined;
  return value.items.map((item) => {
    if (!isObject(item)) throw new ManifestParseError(document, `a list item must be an object, not ${typeOf(item)}`);
    const typed = item.kind === undefined && item.apiVersion === undefined
      ? { apiVersion: value.apiVersion, kind: itemKind, ...item }
      : item;
    return checked(typed, document);
  });
}

function checked(value: Record<string, unknown>, document: number): ManifestObject["object"] {
  // apimachinery's wording, which kubectl users know.
  if (typeof value.kind !== "string" || !value.kind) {
    throw new ManifestParseError(document, `Object 'Kind' is missing in '${excerpt(value)}'`);
  }
  if (typeof value.apiVersion !== "string" || !value.apiVersion) {
    throw new ManifestParseError(document, `Object 'apiVersion' is missing in '${excerpt(value)}'`);
  }
  if (value.metadata !== undefined && value.metadata !== null && !isObject(value.metadata)) {
    throw new ManifestParseError(document, `metadata must be an object, not ${typeOf(value.metadata)}`);
  }
  return value as ManifestObject["object"];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function typeOf(value: unknown): string {
  return Array.isArray(value) ? "an array" : `a ${typeof value}`;
}

/** The parser's message without the source excerpt it appends. */
function firstLine(message: string): string {
  return message.split("\n", 1)[0].replace(/:$/, "");
}

function excerpt(value: unknown): string {
  const json = JSON.stringify(value);
  return json.length > 200 ? `${json.slice(0, 200)}…` : json;
}
