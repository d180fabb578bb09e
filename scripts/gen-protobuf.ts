/**
 * Generates `core/protobuf/generated/k8s_1_32.ts`, the compact descriptor behind
 * `decodeKubernetesProtobuf` (format: `core/protobuf/descriptor.ts`).
 *
 * Inputs:
 * - the FileDescriptorSet extracted from kubectl 1.32 (message and field numbers, types);
 * - the Go sources of k8s.io/api, k8s.io/apimachinery and k8s.io/metrics at the matching tag, for
 *   what the `.proto` files do not say: which scalar fields are pointers or lack `omitempty` (so a
 *   zero value must survive into JSON), which fields are `json:",inline"`, the JSON names, and
 *   which messages are `[]string` aliases.
 *
 * Usage:
 * ```sh
 * scripts/deno run -A scripts/gen-protobuf.ts [FileDescriptorSet.bin] \
 *   [--go-src=api=DIR_OR_GITDIR@REF] [--go-src=apimachinery=…] [--go-src=metrics=…] [--out=FILE]
 * ```
 * A `--go-src` location is a checkout directory, or a git directory plus `@ref`. Defaults: the
 * FileDescriptorSet at `../shared/data/` next to the repo, Go sources from the local GitHub
 * mirror (`/work/.mirror/kubernetes+<name>/repo@v0.32.4`).
 *
 * @module
 */

import { decodeUtf8, WireReader } from "../core/protobuf/wire.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const GO_TAG = "v0.32.4";

// ---------------------------------------------------------------------------------------------
// FileDescriptorSet (descriptor.proto field numbers; only what we use)

interface ProtoField {
  name: string;
  number: number;
  label: number; // 1 optional, 2 required, 3 repeated
  type: number; // FieldDescriptorProto.Type
  typeName: string;
}

interface ProtoMessage {
  fullName: string;
  pkg: string;
  name: string; // relative to the package, nested names joined by "."
  fields: ProtoField[];
  mapEntry: boolean;
}

interface ProtoFile {
  pkg: string;
  goPackage: string;
}

function readMessage(bytes: Uint8Array, visit: (field: number, wireType: number, r: WireReader) => void): void {
  const r = new WireReader(bytes);
  while (r.more()) {
    const { field, wireType } = r.tag();
    const before = r.pos;
    visit(field, wireType, r);
    if (r.pos === before) r.skip(wireType);
  }
}

function str(r: WireReader): string {
  return decodeUtf8(r.lengthDelimited());
}

function parseField(bytes: Uint8Array): ProtoField {
  const f: ProtoField = { name: "", number: 0, label: 1, type: 0, typeName: "" };
  readMessage(bytes, (n, _w, r) => {
    if (n === 1) f.name = str(r);
    else if (n === 3) f.number = r.varint();
    else if (n === 4) f.label = r.varint();
    else if (n === 5) f.type = r.varint();
    else if (n === 6) f.typeName = str(r);
  });
  return f;
}

function parseMessages(bytes: Uint8Array, pkg: string, prefix: string, out: ProtoMessage[]): void {
  const m: ProtoMessage = { fullName: "", pkg, name: "", fields: [], mapEntry: false };
  const nested: Uint8Array[] = [];
  readMessage(bytes, (n, _w, r) => {
    if (n === 1) m.name = prefix + str(r);
    else if (n === 2) m.fields.push(parseField(r.lengthDelimited()));
    else if (n === 3) nested.push(r.lengthDelimited());
    else if (n === 4) throw new Error(`enum in ${m.name}: the compact format has no enums`);
    else if (n === 7) readMessage(r.lengthDelimited(), (o, _w2, r2) => o === 7 && (m.mapEntry = r2.varint() !== 0));
  });
  m.fullName = `${pkg}.${m.name}`;
  out.push(m);
  for (const b of nested) parseMessages(b, pkg, `${m.name}.`, out);
}

function parseDescriptorSet(bytes: Uint8Array): { files: ProtoFile[]; messages: ProtoMessage[] } {
  const files: ProtoFile[] = [];
  const messages: ProtoMessage[] = [];
  readMessage(bytes, (n, _w, r) => {
    if (n !== 1) return;
    const file: ProtoFile = { pkg: "", goPackage: "" };
    const bodies: Uint8Array[] = [];
    readMessage(r.lengthDelimited(), (fn, _w2, fr) => {
      if (fn === 2) file.pkg = str(fr);
      else if (fn === 4) bodies.push(fr.lengthDelimited());
      else if (fn === 5) throw new Error("top-level enum: the compact format has no enums");
      else if (fn === 8) readMessage(fr.lengthDelimited(), (o, _w3, or) => o === 11 && (file.goPackage = str(or)));
    });
    files.push(file);
    for (const b of bodies) parseMessages(b, file.pkg, "", messages);
  });
  return { files, messages };
}

// ---------------------------------------------------------------------------------------------
// Go struct tags

interface GoField {
  jsonName: string;
  pointer: boolean;
  omitempty: boolean;
  inline: boolean;
}

interface GoPackage {
  structs: Map<string, Map<number, GoField>>;
  stringSlices: Set<string>;
  /** `type X otherpkg.Y` definitions: X → [Go import path, Y]. */
  aliases: Map<string, [string, string]>;
}

interface SourceTree {
  list(dir: string): string[];
  read(path: string): string;
}

function git(gitDir: string, args: string[]): string {
  const out = new Deno.Command("git", { args: [`--git-dir=${gitDir}`, ...args], stdout: "piped", stderr: "piped" })
    .outputSync();
  if (!out.success) throw new Error(`git ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  return new TextDecoder().decode(out.stdout);
}

function sourceTree(location: string): SourceTree {
  const at = location.lastIndexOf("@");
  if (at > 0) {
    const gitDir = location.slice(0, at), ref = location.slice(at + 1);
    return {
      list: (dir) => git(gitDir, ["ls-tree", "--name-only", `${ref}:${dir}`]).split("\n").filter(Boolean),
      read: (path) => git(gitDir, ["show", `${ref}:${path}`]),
    };
  }
  return {
    list: (dir) => [...Deno.readDirSync(`${location}/${dir}`)].map((e) => e.name),
    read: (path) => Deno.readTextFileSync(`${location}/${path}`),
  };
}

function tagValue(tags: string, key: string): string | undefined {
  return new RegExp(`(?:^|\\s)${key}:"([^"]*)"`).exec(tags)?.[1];
}

function parseGoPackage(files: string[]): GoPackage {
  const pkg: GoPackage = { structs: new Map(), stringSlices: new Set(), aliases: new Map() };
  for (const text of files) {
    for (const m of text.matchAll(/^type (\w+) \[\]string\b/gm)) pkg.stringSlices.add(m[1]);
    for (const m of text.matchAll(/^type (\w+) (\w+)\.(\w+)$/gm)) {
      const path = new RegExp(`^\\s*${m[2]} "([^"]+)"`, "m").exec(text)?.[1];
      if (path) pkg.aliases.set(m[1], [path, m[3]]);
    }
    for (const m of text.matchAll(/^type (\w+) struct \{\n([\s\S]*?)^\}/gm)) {
      const fields = new Map<number, GoField>();
      for (const line of m[2].split("\n")) {
        const f = /^\s*(\S+)(?:\s+(\S+))?\s+`([^`]*)`/.exec(line);
        if (!f) continue;
        const type = f[2] ?? f[1];
        const proto = tagValue(f[3], "protobuf")?.split(",");
        if (!proto) continue;
        const [jsonName = "", ...opts] = (tagValue(f[3], "json") ?? "").split(",");
        fields.set(Number(proto[1]), {
          jsonName: jsonName || (proto.find((p) => p.startsWith("name=")) ?? "").slice(5),
          pointer: type.startsWith("*"),
          omitempty: opts.includes("omitempty"),
          // Go inlines only an embedded struct without a JSON name (k8s spells it `json:",inline"`).
          inline: f[2] === undefined && jsonName === "",
        });
      }
      pkg.structs.set(m[1], fields);
    }
  }
  return pkg;
}

function loadGoPackage(trees: Map<string, SourceTree>, goPackage: string): GoPackage {
  const m = /^k8s\.io\/([^/]+)\/(.+)$/.exec(goPackage);
  const tree = m && trees.get(m[1]);
  if (!m || !tree) throw new Error(`no --go-src for Go package ${goPackage}`);
  const names = tree.list(m[2]).filter((n) =>
    n.endsWith(".go") && !n.endsWith("_test.go") && !n.startsWith("zz_generated") && n !== "generated.pb.go"
  );
  return parseGoPackage(names.map((n) => tree.read(`${m[2]}/${n}`)));
}

// ---------------------------------------------------------------------------------------------
// Compact output

const SCALAR_CODES: Record<number, string> = { 3: "l", 4: "U", 5: "i", 8: "b", 9: "s", 12: "y", 13: "u" };

function main(args: string[]): void {
  let fdsPath = `${ROOT}../shared/data/k8s-1.32-protobuf-FileDescriptorSet.bin`;
  let out = `${ROOT}core/protobuf/generated/k8s_1_32.ts`;
  const goSrc = new Map(
    ["api", "apimachinery", "metrics"].map((n) => [n, `/work/.mirror/kubernetes+${n}/repo@${GO_TAG}`]),
  );
  for (const a of args) {
    const m = /^--go-src=(\w+)=(.+)$/.exec(a);
    if (m) goSrc.set(m[1], m[2]);
    else if (a.startsWith("--out=")) out = a.slice(6);
    else if (a.startsWith("-")) throw new Error(`unknown option ${a}`);
    else fdsPath = a;
  }
  const trees = new Map([...goSrc].map(([k, v]) => [k, sourceTree(v)]));

  const { files, messages } = parseDescriptorSet(Deno.readFileSync(fdsPath));
  const packages = [...new Set(files.map((f) => f.pkg))];
  const goCache = new Map<string, GoPackage>();
  const goPackage = (path: string) => {
    let p = goCache.get(path);
    if (!p) goCache.set(path, p = loadGoPackage(trees, path));
    return p;
  };
  const goByPkg = new Map(files.map((f) => [f.pkg, goPackage(f.goPackage)]));
  const goStruct = (go: GoPackage, name: string) => {
    const alias = go.aliases.get(name);
    return go.structs.get(name) ?? (alias && goPackage(alias[0]).structs.get(alias[1]));
  };
  const byFullName = new Map(messages.map((m) => [`.${m.fullName}`, m]));
  const emitted = messages.filter((m) => !m.mapEntry);
  const indexOf = new Map(emitted.map((m, i) => [`.${m.fullName}`, i]));

  const typeCode = (f: ProtoField, where: string): string => {
    if (f.type === 11) {
      const i = indexOf.get(f.typeName);
      if (i === undefined) throw new Error(`${where}: unknown message ${f.typeName}`);
      return String(i);
    }
    const code = SCALAR_CODES[f.type];
    if (!code) throw new Error(`${where}: proto type ${f.type} is not supported by the compact format`);
    return code;
  };

  const notInGo: string[] = [];
  const renamed: string[] = [];
  const lines = emitted.map((m) => {
    const go = goByPkg.get(m.pkg)!;
    const goFields = goStruct(go, m.name);
    const list = go.stringSlices.has(m.name) && m.fields.length === 1 && m.fields[0].label === 3;
    if (!goFields && !list && m.fields.length > 0) notInGo.push(m.fullName);
    const tokens = m.fields.map((f) => {
      const where = `${m.fullName}.${f.name}`;
      const gf = goFields?.get(f.number);
      if (goFields && !gf) notInGo.push(where);
      const jsonName = gf && !gf.inline ? gf.jsonName : f.name;
      if (jsonName !== f.name) renamed.push(`${where} -> ${jsonName}`);
      if (/[\s:/{},]/.test(jsonName)) throw new Error(`${where}: JSON name ${jsonName} clashes with the format`);
      const entry = f.type === 11 ? byFullName.get(f.typeName) : undefined;
      let type: string;
      if (entry?.mapEntry) {
        const [k, v] = [1, 2].map((n) => entry.fields.find((x) => x.number === n)!);
        type = `{${typeCode(k, where)},${typeCode(v, where)}}`;
      } else {
        type = typeCode(f, where);
      }
      let flags = "";
      if (f.label === 3 && !entry?.mapEntry) flags += "r";
      if (gf && (gf.pointer || !gf.omitempty) && f.type !== 11 && f.label !== 3) flags += "z";
      if (gf?.inline) flags += "n";
      return `${f.number}:${jsonName}:${type}${flags ? `:${flags}` : ""}`;
    });
    const head = `${packages.indexOf(m.pkg)}/${m.name}${list ? "/L" : ""}`;
    return [head, ...tokens].join(" ");
  });

  const source = `// Generated by scripts/gen-protobuf.ts from kubectl 1.32's FileDescriptorSet and the Go struct tags
// of k8s.io/api, apimachinery and metrics ${GO_TAG}. Do not edit; format: core/protobuf/descriptor.ts.

/** Proto packages, indexed by the first number on each message line. */
export const PACKAGES: readonly string[] = ${JSON.stringify(packages, null, 2)};

/** One message per line; a message's index is its line number (from 0). */
export const MESSAGES = \`
${lines.join("\n")}
\`;
`;
  Deno.mkdirSync(out.slice(0, out.lastIndexOf("/") + 1) || ".", { recursive: true });
  Deno.writeTextFileSync(out, source);
  // The project's formatter settings come from deno.json at the repo root, wherever `out` is.
  const fmt = new Deno.Command(Deno.execPath(), { args: ["fmt", "-q", `--config=${ROOT}deno.json`, out] })
    .outputSync();
  if (!fmt.success) throw new Error(`deno fmt failed: ${new TextDecoder().decode(fmt.stderr)}`);
  const size = Deno.statSync(out).size;
  console.error(`wrote ${out}: ${emitted.length} messages, ${size} bytes`);
  if (renamed.length) console.error(`JSON names that differ from proto names:\n  ${renamed.join("\n  ")}`);
  if (notInGo.length) {
    console.error(`proto messages/fields without a Go struct field (${notInGo.length}):\n  ${notInGo.join("\n  ")}`);
  }
}

if (import.meta.main) main(Deno.args);
