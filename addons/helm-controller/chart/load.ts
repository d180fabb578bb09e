/**
 * Helm's chart loader (`loader.LoadFiles`, `LoadArchive`, `LoadDir`): sorts a chart's files into metadata,
 * values, schema, templates and other files, loads `charts/` subcharts (directories and `.tgz` archives), and
 * validates Chart.yaml — with Helm's error messages.
 *
 * @module
 */

import { gunzipSync } from "node:zlib";
import { Chart, type ChartFile } from "./chart.ts";
import { ChartMetadata, decodeLock, decodeMetadata, validateMetadata } from "./metadata.ts";
import { readTar } from "./tar.ts";
import { unmarshalYamlMap, yamlForJson } from "./yaml/decode.ts";

/** Helm's limits on what an archive may unpack to. */
export const MAX_DECOMPRESSED_CHART_SIZE = 100 * 1024 * 1024;
export const MAX_DECOMPRESSED_FILE_SIZE = 5 * 1024 * 1024;

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * Builds a chart from its files (paths relative to the chart directory).
 *
 * @example
 * ```ts
 * const enc = new TextEncoder();
 * const chart = loadFiles([
 *   { name: "Chart.yaml", data: enc.encode("apiVersion: v2\nname: web\nversion: 0.1.0\n") },
 *   { name: "templates/cm.yaml", data: enc.encode("kind: ConfigMap\n") },
 * ]);
 * chart.templates.length; // 1
 * ```
 */
export function loadFiles(files: ChartFile[]): Chart {
  const chart = new Chart();
  const subcharts = new Map<string, ChartFile[]>();
  let metadata: ChartMetadata | undefined;
  const load = <T>(what: string, f: () => T): T => {
    try {
      return f();
    } catch (error) {
      throw new Error(`cannot load ${what}: ${(error as Error).message}`);
    }
  };
  for (const f of files) {
    chart.raw.push({ name: f.name, data: f.data });
    if (f.name === "Chart.yaml") {
      metadata ??= new ChartMetadata();
      const md = metadata;
      load("Chart.yaml", () => decodeMetadata(yamlForJson(text(f.data)), md));
      if (md.APIVersion === "") md.APIVersion = "v1";
    }
  }
  for (const f of files) {
    const name = f.name;
    if (name === "Chart.yaml") continue;
    if (name === "Chart.lock") {
      chart.lock = load("Chart.lock", () => decodeLock(yamlForJson(text(f.data))));
    } else if (name === "values.yaml") {
      chart.values = load("values.yaml", () => unmarshalYamlMap(text(f.data)));
    } else if (name === "values.schema.json") {
      chart.schema = f.data;
    } else if (name === "requirements.yaml") {
      metadata ??= new ChartMetadata();
      const md = metadata;
      load("requirements.yaml", () => decodeMetadata(yamlForJson(text(f.data)), md));
      if (md.APIVersion === "v1") chart.files.push({ name, data: f.data });
    } else if (name === "requirements.lock") {
      chart.lock = load("requirements.lock", () => decodeLock(yamlForJson(text(f.data))));
      metadata ??= new ChartMetadata();
      if (metadata.APIVersion === "v1") chart.files.push({ name, data: f.data });
    } else if (name.startsWith("templates/")) {
      chart.templates.push({ name, data: f.data });
    } else if (name.startsWith("charts/")) {
      if (name.endsWith(".prov")) {
        chart.files.push({ name, data: f.data });
        continue;
      }
      const rest = name.slice("charts/".length);
      const sub = rest.split("/")[0];
      if (!subcharts.has(sub)) subcharts.set(sub, []);
      subcharts.get(sub)!.push({ name: rest, data: f.data });
    } else {
      chart.files.push({ name, data: f.data });
    }
  }
  if (!metadata) throw new Error("Chart.yaml file is missing");
  chart.metadata = metadata;
  validateMetadata(metadata);
  for (const sub of [...subcharts.keys()].sort()) {
    if (sub.startsWith("_") || sub.startsWith(".")) continue;
    const subFiles = subcharts.get(sub)!;
    const archive = sub.endsWith(".tgz");
    if (archive && subFiles[0].name !== sub) {
      throw new Error(`error unpacking subchart tar in ${chart.name()}: expected ${sub}, got ${subFiles[0].name}`);
    }
    let loaded: Chart;
    try {
      loaded = archive ? loadArchive(subFiles[0].data) : loadFiles(
        subFiles.filter((f) => f.name.includes("/")).map((f) => ({
          name: f.name.slice(f.name.indexOf("/") + 1),
          data: f.data,
        })),
      );
    } catch (error) {
      throw new Error(`error unpacking subchart ${sub} in ${chart.name()}: ${(error as Error).message}`);
    }
    chart.addDependency(loaded);
  }
  return chart;
}

/**
 * The files of a gzipped chart archive, their paths made relative to the chart's directory, refusing what Helm
 * refuses (absolute paths, `..`, files outside the chart directory, oversized content).
 *
 * @example
 * ```ts
 * loadArchiveFiles(tgz).map((f) => f.name); // ["Chart.yaml", "values.yaml", "templates/cm.yaml"]
 * ```
 */
export function loadArchiveFiles(archive: Uint8Array): ChartFile[] {
  let tar: Uint8Array;
  try {
    tar = gunzipSync(archive, { maxOutputLength: MAX_DECOMPRESSED_CHART_SIZE + 1024 * 1024 });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ERR_BUFFER_TOO_LARGE") {
      throw new Error(`decompressed chart is larger than the maximum file size ${MAX_DECOMPRESSED_CHART_SIZE}`);
    }
    throw new Error(archive[0] === 0x1f && archive[1] === 0x8b ? "unexpected EOF" : "gzip: invalid header");
  }
  const files: ChartFile[] = [];
  let remaining = MAX_DECOMPRESSED_CHART_SIZE;
  for (const entry of readTar(tar)) {
    if (entry.type === "5" || entry.type === "x" || entry.type === "g" || entry.name.endsWith("/")) continue;
    const delimiter = entry.name.includes("\\") ? "\\" : "/";
    const parts = entry.name.split(delimiter);
    const joined = parts.slice(1).join("/");
    if (joined.startsWith("/")) throw new Error("chart illegally contains absolute paths");
    const n = cleanPath(joined);
    if (n === ".") {
      throw new Error(`chart illegally contains content outside the base directory: ${JSON.stringify(entry.name)}`);
    }
    if (n.startsWith("..")) throw new Error("chart illegally references parent directory");
    if (/^[a-zA-Z]:\//.test(n)) throw new Error("chart contains illegally named files");
    if (parts[0] === "Chart.yaml") throw new Error("chart yaml not in base directory");
    if (entry.data.length > remaining) {
      throw new Error(`decompressed chart is larger than the maximum file size ${MAX_DECOMPRESSED_CHART_SIZE}`);
    }
    if (entry.data.length > MAX_DECOMPRESSED_FILE_SIZE) {
      throw new Error(
        `decompressed chart file ${
          JSON.stringify(entry.name)
        } is larger than the maximum file size ${MAX_DECOMPRESSED_FILE_SIZE}`,
      );
    }
    remaining -= entry.data.length;
    files.push({ name: n, data: trimBom(entry.data) });
  }
  if (files.length === 0) throw new Error("no files in chart archive");
  return files;
}

/**
 * Loads a chart from a `.tgz` archive (`helm package` output, or `tar czf` of a chart directory).
 *
 * @example
 * ```ts
 * const chart = loadArchive(Uint8Array.from(atob(helmChart.spec.chartContent), (c) => c.charCodeAt(0)));
 * ```
 */
export function loadArchive(archive: Uint8Array): Chart {
  return loadFiles(loadArchiveFiles(archive));
}

/** Drops a leading UTF-8 byte order mark, as Helm does for every file it loads. */
export function trimBom(data: Uint8Array): Uint8Array {
  return data[0] === UTF8_BOM[0] && data[1] === UTF8_BOM[1] && data[2] === UTF8_BOM[2] ? data.subarray(3) : data;
}

/** Go's `path.Clean`. */
function cleanPath(p: string): string {
  const rooted = p.startsWith("/");
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!rooted) out.push("..");
      continue;
    }
    out.push(part);
  }
  const cleaned = (rooted ? "/" : "") + out.join("/");
  return cleaned === "" ? "." : cleaned;
}

function text(data: Uint8Array): string {
  return new TextDecoder().decode(data);
}
