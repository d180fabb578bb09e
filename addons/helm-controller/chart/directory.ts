/**
 * Loading a chart from a directory, as `helm install ./chart` does: every regular file (symlinks followed) not
 * excluded by `.helmignore`, in lexical order.
 *
 * @module
 */

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Chart, ChartFile } from "./chart.ts";
import { IgnoreRules } from "./ignore.ts";
import { loadFiles, MAX_DECOMPRESSED_FILE_SIZE, trimBom } from "./load.ts";

/**
 * Loads the chart in directory `dir`.
 *
 * @example
 * ```ts
 * const chart = loadDirectory("/var/lib/rancher/k3s/server/static/charts/greeter");
 * ```
 */
export function loadDirectory(dir: string): Chart {
  const top = resolve(dir);
  let rules = IgnoreRules.parse("");
  try {
    rules = IgnoreRules.parse(readFileSync(join(top, ".helmignore"), "utf8"));
  } catch (error) {
    if ((error as { code?: string }).code !== "ENOENT") throw error;
  }
  const files: ChartFile[] = [];
  const walk = (relative: string): void => {
    for (const entry of readdirSync(join(top, relative)).sort()) {
      const name = relative ? `${relative}/${entry}` : entry;
      const full = join(top, name);
      const info = statSync(full);
      if (info.isDirectory()) {
        if (!rules.ignore(name, true)) walk(name);
        continue;
      }
      if (rules.ignore(name, false)) continue;
      if (!info.isFile()) throw new Error(`cannot load irregular file ${full} as it has file mode type bits set`);
      if (info.size > MAX_DECOMPRESSED_FILE_SIZE) {
        throw new Error(
          `chart file ${JSON.stringify(entry)} is larger than the maximum file size ${MAX_DECOMPRESSED_FILE_SIZE}`,
        );
      }
      files.push({ name, data: trimBom(new Uint8Array(readFileSync(full))) });
    }
  };
  walk("");
  return loadFiles(files);
}
