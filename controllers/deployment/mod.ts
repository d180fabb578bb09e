/**
 * The Deployment controller: rolls a Deployment's pod template out through ReplicaSets.
 *
 * @example
 * ```ts
 * import { deploymentController } from "./controllers/deployment/mod.ts";
 * manager.add(deploymentController({ client, registry, manager }));
 * ```
 *
 * @module
 */
export {
  type Deployment,
  deploymentController,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  type OwnedReplicaSet,
  REVISION,
} from "./controller.ts";
export { canonicalJson, POD_TEMPLATE_HASH, podTemplateHash, sameTemplate } from "./hash.ts";
export { fenceposts, newReplicaSetSize, oldReplicaSetSizes, scaledValue } from "./rolling.ts";
export { type Condition, type DeploymentStatus, statusFor, unchangedStatus } from "./status.ts";
