/**
 * Running a release's hooks for one event (Helm 3's `execHook`): the hooks of that event by weight then name, each
 * first deleted if its policy says `before-hook-creation` (the default), created, and watched until ready (a Job
 * until it completes, a Pod until it succeeds); the run is recorded on the hook (`last_run`). A failed hook is
 * deleted if it says `hook-failed`; once all succeeded, those saying `hook-succeeded` are deleted, last first.
 * CustomResourceDefinitions are never deleted.
 *
 * @module
 */
import type { HookEvent, Release } from "./release.ts";
import type { KubeClient } from "./kube.ts";
import type { Hook } from "./release.ts";
import type { ReleaseStorage } from "./storage.ts";

/** What a hook run needs. */
export interface HookDeps {
  kube: KubeClient;
  storage: ReleaseStorage;
}

/**
 * Runs `release`'s hooks for `event`; throws the first failure as Helm words it.
 *
 * @example
 * ```ts
 * await execHook({ kube, storage }, release, "pre-install", 300_000);
 * ```
 */
export async function execHook(deps: HookDeps, release: Release, event: HookEvent, timeoutMs: number): Promise<void> {
  const executing = release.Hooks.filter((h) => h.Events.includes(event));
  // Hooks come sorted by kind; a stable sort keeps that order within a weight and name.
  executing.sort((a, b) => a.Weight - b.Weight || (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
  for (const hook of executing) {
    if (hook.DeletePolicies.length === 0) hook.DeletePolicies = ["before-hook-creation"];
    await deleteHookByPolicy(deps.kube, hook, "before-hook-creation", timeoutMs);
    let resources;
    try {
      resources = deps.kube.build(hook.Manifest);
    } catch (error) {
      throw new Error(`unable to build kubernetes object for ${event} hook ${hook.Path}: ${(error as Error).message}`);
    }
    hook.LastRun.StartedAt = new Date();
    hook.LastRun.CompletedAt = null;
    hook.LastRun.Phase = "Running";
    await deps.storage.update(release).catch(() => {});
    hook.LastRun.Phase = "Unknown";
    try {
      await deps.kube.create(resources);
    } catch (error) {
      hook.LastRun.CompletedAt = new Date();
      hook.LastRun.Phase = "Failed";
      throw new Error(`warning: Hook ${event} ${hook.Path} failed: ${(error as Error).message}`);
    }
    try {
      for (const r of resources) await deps.kube.watchUntilReady(r, timeoutMs);
    } catch (error) {
      hook.LastRun.CompletedAt = new Date();
      hook.LastRun.Phase = "Failed";
      await deleteHookByPolicy(deps.kube, hook, "hook-failed", timeoutMs).catch(() => {});
      throw error;
    }
    hook.LastRun.CompletedAt = new Date();
    hook.LastRun.Phase = "Succeeded";
  }
  for (const hook of [...executing].reverse()) await deleteHookByPolicy(deps.kube, hook, "hook-succeeded", timeoutMs);
}

/** Deletes a hook's objects and waits until they are gone, if its delete policies include `policy`. */
async function deleteHookByPolicy(kube: KubeClient, hook: Hook, policy: string, timeoutMs: number): Promise<void> {
  if (hook.Kind === "CustomResourceDefinition" || !hook.DeletePolicies.includes(policy)) return;
  let resources;
  try {
    resources = kube.build(hook.Manifest);
  } catch (error) {
    throw new Error(`unable to build kubernetes object for deleting hook ${hook.Path}: ${(error as Error).message}`);
  }
  const errors = await kube.delete(resources);
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join("; "));
  await kube.waitForDelete(resources, timeoutMs);
}
