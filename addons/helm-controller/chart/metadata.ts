/**
 * Chart.yaml, requirements.yaml and Chart.lock as Helm's `chart.Metadata`, `chart.Dependency`, `chart.Maintainer`
 * and `chart.Lock` structs. Templates see the metadata as `.Chart` with Go's field names (`.Chart.Name`,
 * `.Chart.AppVersion`), and `toJson .Chart` gives Helm's JSON with its `omitempty` rules.
 *
 * @module
 */

import { decodeStruct, type StructSpec } from "./decode_struct.ts";
import { marshalStruct } from "./struct_json.ts";
import { isValidSemver } from "./version.ts";
import type { YamlValue } from "./yaml/decode.ts";

/** A chart maintainer. */
export class Maintainer {
  Name = "";
  Email = "";
  URL = "";

  MarshalJSON(): string {
    return marshalStruct([["name", this.Name, true], ["email", this.Email, true], ["url", this.URL, true]]);
  }
}

/** A dependency declared in Chart.yaml (v2) or requirements.yaml (v1). */
export class ChartDependency {
  Name = "";
  Version = "";
  Repository = "";
  /** Comma-separated value paths; the first that holds a bool enables or disables the subchart. */
  Condition = "";
  Tags: string[] | null = null;
  Enabled = false;
  /** `import-values`: strings (from the child's `exports`) or `{child, parent}` maps. */
  ImportValues: unknown[] | null = null;
  Alias = "";

  MarshalJSON(): string {
    return marshalStruct([
      ["name", this.Name],
      ["version", this.Version, true],
      ["repository", this.Repository],
      ["condition", this.Condition, true],
      ["tags", this.Tags, true],
      ["enabled", this.Enabled, true],
      ["import-values", this.ImportValues, true],
      ["alias", this.Alias, true],
    ]);
  }
}

/** Chart.yaml. */
export class ChartMetadata {
  Name = "";
  Home = "";
  Sources: string[] | null = null;
  Version = "";
  Description = "";
  Keywords: string[] | null = null;
  Maintainers: (Maintainer | null)[] | null = null;
  Icon = "";
  APIVersion = "";
  Condition = "";
  Tags = "";
  AppVersion = "";
  Deprecated = false;
  Annotations: Record<string, string> | null = null;
  KubeVersion = "";
  Dependencies: (ChartDependency | null)[] | null = null;
  Type = "";

  /** A copy whose dependency list can be changed without touching this one's. */
  copy(): ChartMetadata {
    return Object.assign(new ChartMetadata(), this);
  }

  MarshalJSON(): string {
    return marshalStruct([
      ["name", this.Name, true],
      ["home", this.Home, true],
      ["sources", this.Sources, true],
      ["version", this.Version, true],
      ["description", this.Description, true],
      ["keywords", this.Keywords, true],
      ["maintainers", this.Maintainers, true],
      ["icon", this.Icon, true],
      ["apiVersion", this.APIVersion, true],
      ["condition", this.Condition, true],
      ["tags", this.Tags, true],
      ["appVersion", this.AppVersion, true],
      ["deprecated", this.Deprecated, true],
      ["annotations", this.Annotations, true],
      ["kubeVersion", this.KubeVersion, true],
      ["dependencies", this.Dependencies, true],
      ["type", this.Type, true],
    ]);
  }
}

/** Chart.lock (or requirements.lock). */
export class ChartLock {
  Generated = "";
  Digest = "";
  Dependencies: (ChartDependency | null)[] | null = null;

  MarshalJSON(): string {
    return marshalStruct([["generated", this.Generated], ["digest", this.Digest], ["dependencies", this.Dependencies]]);
  }
}

const MAINTAINER: StructSpec = {
  name: "Maintainer",
  make: () => new Maintainer(),
  fields: {
    name: { field: "Name", type: "string" },
    email: { field: "Email", type: "string" },
    url: { field: "URL", type: "string" },
  },
};

const DEPENDENCY: StructSpec = {
  name: "Dependency",
  make: () => new ChartDependency(),
  fields: {
    name: { field: "Name", type: "string" },
    version: { field: "Version", type: "string" },
    repository: { field: "Repository", type: "string" },
    condition: { field: "Condition", type: "string" },
    tags: { field: "Tags", type: "[]string" },
    enabled: { field: "Enabled", type: "bool" },
    "import-values": { field: "ImportValues", type: "[]interface {}" },
    alias: { field: "Alias", type: "string" },
  },
};

const METADATA: StructSpec = {
  name: "Metadata",
  make: () => new ChartMetadata(),
  fields: {
    name: { field: "Name", type: "string" },
    home: { field: "Home", type: "string" },
    sources: { field: "Sources", type: "[]string" },
    version: { field: "Version", type: "string" },
    description: { field: "Description", type: "string" },
    keywords: { field: "Keywords", type: "[]string" },
    maintainers: { field: "Maintainers", type: { list: MAINTAINER } },
    icon: { field: "Icon", type: "string" },
    apiVersion: { field: "APIVersion", type: "string" },
    condition: { field: "Condition", type: "string" },
    tags: { field: "Tags", type: "string" },
    appVersion: { field: "AppVersion", type: "string" },
    deprecated: { field: "Deprecated", type: "bool" },
    annotations: { field: "Annotations", type: "map[string]string" },
    kubeVersion: { field: "KubeVersion", type: "string" },
    dependencies: { field: "Dependencies", type: { list: DEPENDENCY } },
    type: { field: "Type", type: "string" },
  },
};

const LOCK: StructSpec = {
  name: "Lock",
  make: () => new ChartLock(),
  fields: {
    generated: { field: "Generated", type: "string" },
    digest: { field: "Digest", type: "string" },
    dependencies: { field: "Dependencies", type: { list: DEPENDENCY } },
  },
};

/**
 * Reads Chart.yaml (or requirements.yaml, which only adds `dependencies`) into `metadata`.
 *
 * @example
 * ```ts
 * const md = new ChartMetadata();
 * decodeMetadata(decodeYaml("apiVersion: v2\nname: web\nversion: 1.0\n"), md); // md.Version === "1"
 * ```
 */
export function decodeMetadata(value: YamlValue, metadata: ChartMetadata): void {
  decodeStruct(METADATA, value, metadata);
}

/**
 * Reads Chart.lock.
 *
 * @example
 * ```ts
 * decodeLock(decodeYaml("digest: sha256:abc\ndependencies: []\n")).Digest; // "sha256:abc"
 * ```
 */
export function decodeLock(value: YamlValue): ChartLock {
  const lock = new ChartLock();
  decodeStruct(LOCK, value, lock);
  return lock;
}

/**
 * Helm's `Metadata.Validate`: cleans the text fields (whitespace to spaces, unprintable characters dropped) and
 * checks what a chart must have, throwing `validation: …` errors worded as Helm's.
 *
 * @example
 * ```ts
 * validateMetadata(md); // throws "validation: chart.metadata.version is required" when there is none
 * ```
 */
export function validateMetadata(md: ChartMetadata): void {
  md.Name = sanitize(md.Name);
  md.Description = sanitize(md.Description);
  md.Home = sanitize(md.Home);
  md.Icon = sanitize(md.Icon);
  md.Condition = sanitize(md.Condition);
  md.Tags = sanitize(md.Tags);
  md.AppVersion = sanitize(md.AppVersion);
  md.KubeVersion = sanitize(md.KubeVersion);
  md.Sources = md.Sources?.map(sanitize) ?? null;
  md.Keywords = md.Keywords?.map(sanitize) ?? null;
  const fail = (message: string): never => {
    throw new Error(`validation: ${message}`);
  };
  if (md.APIVersion === "") fail("chart.metadata.apiVersion is required");
  if (md.Name === "") fail("chart.metadata.name is required");
  if (md.Name === "." || md.Name === "..") fail(`chart.metadata.name ${JSON.stringify(md.Name)} is not allowed`);
  if (md.Name !== md.Name.replace(/\/+$/, "").split("/").pop()) {
    fail(`chart.metadata.name ${JSON.stringify(md.Name)} is invalid`);
  }
  if (md.Version === "") fail("chart.metadata.version is required");
  if (!isValidSemver(md.Version)) fail(`chart.metadata.version ${JSON.stringify(md.Version)} is invalid`);
  if (!["", "application", "library"].includes(md.Type)) fail("chart.metadata.type must be application or library");
  for (const m of md.Maintainers ?? []) {
    if (m === null) fail("maintainers must not contain empty or null nodes");
    m!.Name = sanitize(m!.Name);
    m!.Email = sanitize(m!.Email);
    m!.URL = sanitize(m!.URL);
  }
  const seen = new Set<string>();
  for (const d of md.Dependencies ?? []) {
    if (d === null) fail("dependencies must not contain empty or null nodes");
    d!.Name = sanitize(d!.Name);
    d!.Version = sanitize(d!.Version);
    d!.Repository = sanitize(d!.Repository);
    d!.Condition = sanitize(d!.Condition);
    d!.Tags = d!.Tags?.map(sanitize) ?? null;
    if (d!.Alias !== "" && !/^[a-zA-Z0-9_-]+$/.test(d!.Alias)) {
      fail(`dependency ${JSON.stringify(d!.Name)} has disallowed characters in the alias`);
    }
    const key = d!.Alias || d!.Name;
    if (seen.has(key)) fail(`more than one dependency with name or alias ${JSON.stringify(key)}`);
    seen.add(key);
  }
}

/** Helm's `sanitizeString`: every Unicode space becomes ' ', unprintable characters are dropped. */
function sanitize(s: string): string {
  return s.replace(/\s/gu, " ").replace(/[\p{C}\p{Zl}\p{Zp}]/gu, "");
}
