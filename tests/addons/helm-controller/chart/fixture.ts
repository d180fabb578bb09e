// Charts of our own for the Helm engine tests: written to a temp directory, packed with the system `tar`, or kept
// in memory, then rendered the way an install renders them.
import { join } from "node:path";
import {
  type Chart,
  type ChartFile,
  loadFiles,
  processDependencies,
  type ReleaseOptions,
  type RenderValuesOptions,
  toRenderValues,
  type Values,
} from "../../../../addons/helm-controller/chart/mod.ts";
import { render, type RenderOptions } from "../../../../addons/helm-controller/engine/mod.ts";

/** A chart as path → text, e.g. `{ "Chart.yaml": "...", "templates/cm.yaml": "..." }`. */
export type ChartTexts = Record<string, string>;

export const RELEASE: ReleaseOptions = { name: "rel", namespace: "ns", revision: 1, isInstall: true, isUpgrade: false };

export function chartYaml(name: string, extra = ""): string {
  return `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n${extra}`;
}

export function memoryFiles(texts: ChartTexts): ChartFile[] {
  return Object.entries(texts).map(([name, text]) => ({ name, data: new TextEncoder().encode(text) }));
}

/** Writes `texts` under `<dir>/<top>/`. */
export async function writeChart(dir: string, top: string, texts: ChartTexts): Promise<string> {
  const root = join(dir, top);
  for (const [name, text] of Object.entries(texts)) {
    const path = join(root, name);
    await Deno.mkdir(join(path, ".."), { recursive: true });
    await Deno.writeTextFile(path, text);
  }
  return root;
}

/** Packs `<dir>/<top>` with the system tar (`tar czf`), passing extra flags such as `--format=gnu`. */
export async function tarGz(dir: string, top: string, flags: string[] = []): Promise<Uint8Array> {
  const out = join(dir, `${top}.tgz`);
  const { code, stderr } = await new Deno.Command("tar", { args: [...flags, "-czf", out, "-C", dir, top] }).output();
  if (code !== 0) throw new Error(new TextDecoder().decode(stderr));
  return await Deno.readFile(out);
}

/** A chart packed as `top.tgz` in a fresh temp directory. */
export async function packChart(top: string, texts: ChartTexts, flags: string[] = []): Promise<Uint8Array> {
  const dir = await Deno.makeTempDir();
  try {
    await writeChart(dir, top, texts);
    return await tarGz(dir, top, flags);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** What an install does before rendering: dependencies processed, render values built. */
export function renderValues(chart: Chart, values: Values = {}, options: RenderValuesOptions = {}): Values {
  processDependencies(chart, values, { merge: true });
  return toRenderValues(chart, values, RELEASE, options);
}

/** Loads `texts` as a chart and renders it. */
export async function renderTexts(
  texts: ChartTexts,
  values: Values = {},
  options: RenderOptions & RenderValuesOptions = {},
): Promise<Record<string, string>> {
  const chart = loadFiles(memoryFiles(texts));
  return await render(chart, renderValues(chart, values, options), options);
}
