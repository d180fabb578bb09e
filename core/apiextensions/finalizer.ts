/**
 * The cleanup loop (apiextensions-apiserver's CRDFinalizer): a deleted CRD keeps its
 * `customresourcecleanup.apiextensions.k8s.io` finalizer, and stays served read-and-delete-only with
 * `Terminating` True, until every one of its objects is gone; then the finalizer goes, and the CRD with it.
 *
 * @module
 */
import { type Client, isConflict, isNotFound } from "../client/mod.ts";
import { type Controller, controller, type Manager } from "../operator/mod.ts";
import {
  CLEANUP_FINALIZER,
  CUSTOM_RESOURCE_DEFINITIONS,
  type CustomResourceDefinition,
  type CustomResourceDefinitionCondition,
  isConditionTrue,
  setCondition,
  storageVersion,
} from "./types.ts";

/** How soon to look again while objects with finalizers of their own are still going. */
const REMAINING_RECHECK_MS = 1000;

function terminating(
  reason: string,
  message: string,
  status: "True" | "False" = "True",
): CustomResourceDefinitionCondition {
  return { type: "Terminating", status, reason, message };
}

/**
 * The cleanup loop; it runs on every server, as in kube-apiserver.
 *
 * @example
 * ```ts
 * manager.add(finalizerController({ client, manager }));
 * ```
 */
export function finalizerController({ client, manager }: { client: Client; manager: Manager }): Controller {
  const writeStatus = async (crd: CustomResourceDefinition): Promise<CustomResourceDefinition | undefined> => {
    try {
      return await client.updateStatus(crd);
    } catch (error) {
      if (isNotFound(error) || isConflict(error)) return undefined;
      throw error;
    }
  };
  /** Delete every object; the condition to record, and whether some are still there. */
  const deleteInstances = async (
    crd: CustomResourceDefinition,
  ): Promise<[CustomResourceDefinitionCondition, boolean]> => {
    const ref = {
      group: crd.spec.group,
      version: storageVersion(crd) ?? crd.spec.versions[0].name,
      resource: crd.status?.acceptedNames?.plural || crd.spec.names.plural,
    };
    try {
      const { items } = await client.list(ref);
      for (const item of items) {
        try {
          await client.delete(ref, item.metadata?.namespace, item.metadata!.name!);
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
      }
      const remaining = (await client.list(ref)).items.length;
      if (remaining > 0) {
        return [terminating("InstanceDeletionInProgress", "CustomResource deletion is in progress"), true];
      }
      return [terminating("InstanceDeletionCompleted", "removed all instances", "False"), false];
    } catch (error) {
      const message = `could not issue all deletes: ${error instanceof Error ? error.message : error}`;
      return [terminating("InstanceDeletionFailed", message), true];
    }
  };
  return controller("crd-finalizer")
    .for(CUSTOM_RESOURCE_DEFINITIONS)
    .withOptions({ needLeaderElection: false })
    .complete(async ({ name }) => {
      const cached = manager.cache(CUSTOM_RESOURCE_DEFINITIONS).get(name) as CustomResourceDefinition | undefined;
      if (!cached?.metadata?.deletionTimestamp || !cached.metadata.finalizers?.includes(CLEANUP_FINALIZER)) return;
      let crd: CustomResourceDefinition | undefined = structuredClone(cached);
      setCondition(crd, terminating("InstanceDeletionInProgress", "CustomResource deletion is in progress"));
      crd = await writeStatus(crd);
      if (!crd) return;
      if (isConditionTrue(crd, "Established")) {
        const [condition, pending] = await deleteInstances(crd);
        setCondition(crd, condition);
        if (pending) {
          await writeStatus(crd);
          return { requeueAfterMs: REMAINING_RECHECK_MS };
        }
      } else {
        setCondition(crd, terminating("NeverEstablished", "resource was never established", "False"));
      }
      crd.metadata!.finalizers = crd.metadata!.finalizers!.filter((f) => f !== CLEANUP_FINALIZER);
      await writeStatus(crd);
    });
}
