/**
 * A loaded chart, Helm's `chart.Chart`: metadata, templates, default values, schema, the other files, and the
 * dependency tree (subcharts know their parent, which gives template names like `app/charts/db/templates/x.yaml`).
 *
 * @module
 */

import type { ChartLock, ChartMetadata } from "./metadata.ts";
import { marshalStruct } from "./struct_json.ts";

/** A file of a chart, by its path inside the chart (`templates/cm.yaml`). */
export interface ChartFile {
  name: string;
  data: Uint8Array;
}

/**
 * A chart and its subcharts.
 *
 * @example
 * ```ts
 * const chart = loadArchive(bytes);
 * chart.name(); // "greeter"
 * chart.dependencies()[0].chartFullPath(); // "greeter/charts/sub"
 * ```
 */
export class Chart {
  /** Every file as loaded, before it was sorted into the fields below. */
  raw: ChartFile[] = [];
  metadata!: ChartMetadata;
  lock: ChartLock | null = null;
  templates: ChartFile[] = [];
  /** The default values (values.yaml); null when the chart has none. */
  values: Record<string, unknown> | null = null;
  schema: Uint8Array | null = null;
  /** The files that are neither templates nor Chart.yaml/values.yaml/values.schema.json (e.g. crds/, README). */
  files: ChartFile[] = [];
  #parent: Chart | null = null;
  #dependencies: Chart[] = [];

  /** The chart's name from its metadata. */
  name(): string {
    return this.metadata?.Name ?? "";
  }

  /** Replaces the subcharts. */
  setDependencies(...charts: Chart[]): void {
    this.#dependencies = [];
    this.addDependency(...charts);
  }

  /** Adds subcharts, making this chart their parent. */
  addDependency(...charts: Chart[]): void {
    for (const chart of charts) {
      chart.#parent = this;
      this.#dependencies.push(chart);
    }
  }

  dependencies(): Chart[] {
    return this.#dependencies;
  }

  parent(): Chart | null {
    return this.#parent;
  }

  isRoot(): boolean {
    return this.#parent === null;
  }

  /** The chart's dotted path from the root (`app.db`), as values address it. */
  chartPath(): string {
    return this.#parent ? `${this.#parent.chartPath()}.${this.name()}` : this.name();
  }

  /** The chart's path in template names (`app/charts/db`). */
  chartFullPath(): string {
    return this.#parent ? `${this.#parent.chartFullPath()}/charts/${this.name()}` : this.name();
  }

  /** A shallow copy with its own metadata copy and no parent, as Helm copies a subchart to give it an alias. */
  copy(): Chart {
    const out = new Chart();
    out.raw = this.raw;
    out.metadata = this.metadata.copy();
    out.lock = this.lock;
    out.templates = this.templates;
    out.values = this.values;
    out.schema = this.schema;
    out.files = this.files;
    out.#dependencies = this.#dependencies;
    return out;
  }

  /**
   * The CRD files (`crds/*.yaml|yml|json`) of this chart and its subcharts, each with its path from the root
   * chart (`app/charts/db/crds/x.yaml`), which Helm installs before rendering.
   */
  crdObjects(): { name: string; filename: string; file: ChartFile }[] {
    const own = this.files.filter((f) => f.name.startsWith("crds/") && /\.(ya?ml|json)$/i.test(f.name))
      .map((file) => ({ name: file.name, filename: `${this.chartFullPath()}/${file.name}`, file }));
    return [...own, ...this.#dependencies.flatMap((d) => d.crdObjects())];
  }

  /** Helm's JSON form of a chart (as in a release record): metadata, lock, templates, values, schema, files. */
  MarshalJSON(): string {
    const file = (f: ChartFile) => ({ MarshalJSON: () => marshalStruct([["name", f.name], ["data", f.data]]) });
    return marshalStruct([
      ["metadata", this.metadata],
      ["lock", this.lock],
      ["templates", this.templates.map(file)],
      ["values", this.values],
      ["schema", this.schema],
      ["files", this.files.map(file)],
    ]);
  }
}
