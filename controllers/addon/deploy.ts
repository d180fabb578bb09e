/**
 * What happens to one manifest file, as in K3s's `pkg/deploy`: it is deployed (its Addon created first so events
 * have an object, then read, parsed and applied as the Addon's object set, and the Addon's checksum and kinds
 * recorded), or — for a disabled component — everything its Addon owns is deleted, then the file and the Addon.
 * Every failure is a Warning event on the Addon naming the file, and rejects.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import { isNotFound } from "../../core/client/mod.ts";
import { errorMessage, type EventRecorder } from "../../core/operator/mod.ts";
import { type ApplyDeps, type ApplyFailure, applyObjectSet } from "./apply.ts";
import { ADDON, type Addon, ADDON_NAMESPACE, GVK_ANNOTATION } from "./crd.ts";
import { addonName } from "./files.ts";
import { formatGvks, type Gvk, gvkOf, parseGvks } from "./gvk.ts";
import { type ManifestObject, parseManifest } from "./manifests.ts";
import type { SetOwner } from "./objectset.ts";

/** What deploying needs: the API, and where events go. */
export interface DeployDeps extends ApplyDeps {
  events: EventRecorder;
}

const ADDON_GVK: Gvk = { group: "k3s.cattle.io", version: "v1", kind: "Addon" };

/**
 * Apply the file at `path` as its Addon's object set; with `compareChecksum`, a file whose content is what the
 * Addon last applied is left alone.
 *
 * @example
 * ```ts
 * await deployManifest({ client, registry, events }, "/var/lib/rancher/k3s/server/manifests/ccm.yaml", true);
 * ```
 */
export async function deployManifest(deps: DeployDeps, path: string, compareChecksum: boolean): Promise<void> {
  const name = addonName(path);
  const addon = await getAddon(deps, name) ??
    await deps.client.create<Addon>({
      ...ADDON,
      metadata: { name, namespace: ADDON_NAMESPACE },
      spec: { source: path },
    });
  const content = await read(deps, addon, path);
  const checksum = createHash("sha256").update(content).digest("hex");
  if (compareChecksum && checksum === addon.spec?.checksum) return;
  const objects = parse(deps, addon, path, content);
  deps.events.event(addon, "Normal", "ApplyingManifest", `Applying manifest at "${path}"`);
  const failures = await applyObjectSet(
    deps,
    owner(name),
    objects,
    parseGvks(addon.metadata.annotations?.[GVK_ANNOTATION]),
  );
  if (failures.length > 0) {
    const message = `Applying manifest at "${path}" failed: ${describe(failures)}`;
    deps.events.event(addon, "Warning", "ApplyManifestFailed", message);
    throw new Error(message);
  }
  deps.events.event(addon, "Normal", "AppliedManifest", `Applied manifest at "${path}"`);
  await deps.client.patch(ADDON, ADDON_NAMESPACE, name, "merge", {
    metadata: { annotations: { [GVK_ANNOTATION]: formatGvks(objects.map((o) => gvkOf(o.object))) } },
    spec: { source: path, checksum },
  });
}

/**
 * Delete everything the file's Addon owns — the kinds it recorded and the kinds the file names now — then the file
 * (unless `removeFile` is false: it was reached through a symlinked directory) and the Addon. This is how
 * `--disable NAME` uninstalls a component that was deployed before.
 *
 * @example
 * ```ts
 * await deleteManifest({ client, registry, events }, "/var/lib/rancher/k3s/server/manifests/traefik.yaml", true);
 * ```
 */
export async function deleteManifest(deps: DeployDeps, path: string, removeFile: boolean): Promise<void> {
  const name = addonName(path);
  // An Addon never created still names the objects' owner: its marks are computed from the name alone.
  const addon: Addon = await getAddon(deps, name) ?? { ...ADDON, metadata: { name, namespace: ADDON_NAMESPACE } };
  const gvks = parseGvks(addon.metadata.annotations?.[GVK_ANNOTATION]);
  try {
    gvks.push(...parse(deps, addon, path, await read(deps, addon, path)).map((o) => gvkOf(o.object)));
  } catch {
    // Reported on the Addon already; what the Addon recorded is still deleted.
  }
  const failures = await applyObjectSet(deps, owner(name), [], gvks);
  if (failures.length > 0) throw new Error(`deleting the objects of "${path}": ${describe(failures)}`);
  if (removeFile) await rm(path, { force: true });
  deps.events.event(addon, "Normal", "DeletingManifest", `Deleting manifest at "${path}"`);
  try {
    await deps.client.delete(ADDON, ADDON_NAMESPACE, name);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

function owner(name: string): SetOwner {
  return { gvk: ADDON_GVK, name, namespace: ADDON_NAMESPACE };
}

async function getAddon(deps: DeployDeps, name: string): Promise<Addon | undefined> {
  try {
    return await deps.client.get<Addon>(ADDON, ADDON_NAMESPACE, name);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

async function read(deps: DeployDeps, addon: Addon, path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    const message = `Read manifest at "${path}" failed: ${errorMessage(error)}`;
    deps.events.event(addon, "Warning", "ReadManifestFailed", message);
    throw new Error(message);
  }
}

function parse(deps: DeployDeps, addon: Addon, path: string, content: Uint8Array): ManifestObject[] {
  try {
    return parseManifest(new TextDecoder().decode(content));
  } catch (error) {
    const message = `Parse manifest at "${path}" failed: ${errorMessage(error)}`;
    deps.events.event(addon, "Warning", "ParseManifestFailed", message);
    throw new Error(message);
  }
}

function describe(failures: readonly ApplyFailure[]): string {
  return failures.map((f) => f.document ? `document ${f.document}: ${f.message}` : f.message).join("; ");
}
