/**
 * The establishing loop (apiextensions-apiserver's EstablishingController): once a CRD's names are accepted and
 * this server serves them, `Established` becomes True/InitialNamesAccepted — what `kubectl wait --for
 * condition=established` waits for — so whoever sees it can use the new resource at once.
 *
 * @module
 */
import { type Client, isConflict, isNotFound } from "../client/mod.ts";
import { type Controller, controller, type Manager } from "../operator/mod.ts";
import type { CustomResources } from "./served.ts";
import { CUSTOM_RESOURCE_DEFINITIONS, type CustomResourceDefinition, isConditionTrue, setCondition } from "./types.ts";

/** How soon to look again while this server has not started serving the CRD. */
const SERVING_RECHECK_MS = 50;

/**
 * The establishing loop; it runs on every server, as in kube-apiserver.
 *
 * @example
 * ```ts
 * manager.add(establishingController({ client, manager, crds }));
 * ```
 */
export function establishingController(
  { client, manager, crds }: { client: Client; manager: Manager; crds: CustomResources },
): Controller {
  return controller("crd-establishing")
    .for(CUSTOM_RESOURCE_DEFINITIONS)
    .withOptions({ needLeaderElection: false })
    .complete(async ({ name }) => {
      const crd = manager.cache(CUSTOM_RESOURCE_DEFINITIONS).get(name) as CustomResourceDefinition | undefined;
      if (!crd || !isConditionTrue(crd, "NamesAccepted") || isConditionTrue(crd, "Established")) return;
      if (!crds.get(name)) return { requeueAfterMs: SERVING_RECHECK_MS };
      const next = structuredClone(crd);
      setCondition(next, {
        type: "Established",
        status: "True",
        reason: "InitialNamesAccepted",
        message: "the initial names have been accepted",
      });
      try {
        await client.updateStatus(next);
      } catch (error) {
        if (isNotFound(error) || isConflict(error)) return;
        throw error;
      }
    });
}
