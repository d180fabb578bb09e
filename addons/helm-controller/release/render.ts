/**
 * Helm's `renderResources` (what install and upgrade do between values and the API): checks the chart's
 * `kubeVersion`, renders, takes NOTES.txt out (the root chart's only, unless subchart notes are wanted), splits
 * and sorts the rest into hooks and manifests, and writes the release manifest (`---\n# Source: …` documents).
 *
 * @module
 */

import type { Capabilities } from "../chart/capabilities.ts";
import type { Chart } from "../chart/chart.ts";
import type { Values } from "../chart/values.ts";
import { isCompatibleRange } from "../chart/version.ts";
import { render, type RenderOptions } from "../engine/render.ts";
import { type Manifest, sortManifests } from "./manifests.ts";
import type { Hook } from "./release.ts";

/** Options of {@link renderResources}, beyond the engine's. */
export interface RenderResourcesOptions extends RenderOptions {
  /** Include subcharts' NOTES.txt in the notes (`--render-subchart-notes`). */
  subNotes?: boolean;
  /** Put the charts' `crds/` files at the head of the manifest (`helm template --include-crds`). */
  includeCrds?: boolean;
}

/** A rendered release: hooks and manifests in install order, the manifest text, and the notes. */
export interface RenderedResources {
  hooks: Hook[];
  manifests: Manifest[];
  manifest: string;
  notes: string;
}

/**
 * Renders `chart` with `values` from `toRenderValues` into what a release stores.
 *
 * @example
 * ```ts
 * const { manifests, notes } = await renderResources(chart, toRenderValues(chart, config, releaseOptions, { capabilities }));
 * ```
 */
export async function renderResources(
  chart: Chart,
  values: Values,
  options: RenderResourcesOptions = {},
): Promise<RenderedResources> {
  const caps = values.Capabilities as Capabilities;
  const kubeVersion = chart.metadata.KubeVersion;
  if (kubeVersion !== "" && !isCompatibleRange(kubeVersion, caps.KubeVersion.String())) {
    throw new Error(
      `chart requires kubeVersion: ${kubeVersion} which is incompatible with Kubernetes ${caps.KubeVersion.String()}`,
    );
  }
  const files = await render(chart, values, options);
  const rootNotes = `${chart.name()}/templates/NOTES.txt`;
  const notes: string[] = [];
  for (const name of Object.keys(files).sort()) {
    if (!name.endsWith("NOTES.txt")) continue;
    if (options.subNotes || name === rootNotes) notes.push(files[name]);
    delete files[name];
  }
  const { hooks, manifests } = sortManifests(files);
  let manifest = "";
  if (options.includeCrds) {
    for (const crd of chart.crdObjects()) {
      manifest += `---\n# Source: ${crd.filename}\n${new TextDecoder().decode(crd.file.data)}\n`;
    }
  }
  for (const m of manifests) manifest += `---\n# Source: ${m.name}\n${m.content}\n`;
  return { hooks, manifests, manifest, notes: notes.join("\n") };
}
