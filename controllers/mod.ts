/**
 * The always-on controllers, each an operator on `core/operator`, and the list `k3s server` runs.
 *
 * @module
 */
import type { Client } from "../core/client/mod.ts";
import type { Controller, Manager } from "../core/operator/mod.ts";
import type { Registry } from "../core/registry/registry.ts";
import { join } from "node:path";
import { addonController, type AddonSettings } from "./addon/mod.ts";
import { bootstrapTokenCleaner } from "./bootstrap_token_cleaner/mod.ts";
import { certificateController } from "./certificates/mod.ts";
import type { APIServerSANOptions, DynamicListener } from "../core/pki/mod.ts";
import { clusterRoleAggregationController } from "./clusterrole_aggregation/mod.ts";
import { cronJobController } from "./cronjob/mod.ts";
import { daemonSetController } from "./daemonset/mod.ts";
import { deploymentController } from "./deployment/mod.ts";
import { endpointsController } from "./endpoints/mod.ts";
import { endpointSliceController } from "./endpointslice/mod.ts";
import { garbageCollector } from "./garbage_collector/mod.ts";
import { jobController } from "./job/mod.ts";
import { namespaceController } from "./namespace/controller.ts";
import { nodeIpamController } from "./node_ipam/mod.ts";
import { nodeLifecycleController, taintEvictionController } from "./node_lifecycle/mod.ts";
import { podGcController } from "./pod_gc/mod.ts";
import { replicaSetController } from "./replicaset/mod.ts";
import { schedulerController } from "./scheduler/mod.ts";
import { rootCAPublisher } from "./root_ca_publisher/mod.ts";
import { serviceAccountController } from "./serviceaccount/mod.ts";
import { serviceAccountTokenController } from "./serviceaccount_token/mod.ts";
import { statefulSetController } from "./statefulset/mod.ts";
import { ttlAfterFinishedController } from "./ttl_after_finished/mod.ts";

/** What a controller is built from. */
export interface ControllerDeps {
  client: Client;
  registry: Registry;
  manager: Manager;
  /** The API port's certificate, which the certificate controller renews and extends with new names. */
  serving?: DynamicListener;
}

/** What the controllers that work on the server's files are told. */
export interface ServerFiles extends AddonSettings {
  /** The names the API server's certificate must carry (`--tls-san`, `--service-cidr`). */
  apiServerSANs?: APIServerSANOptions;
}

/** Cluster-wide settings some controllers take from the server's flags. */
export interface ControllerSettings {
  /** `--cluster-cidr`: the range node IPAM carves each node's podCIDR from. */
  clusterCidr?: string;
  /**
   * The server's `--data-dir`, `--disable` and where manifest failures are logged: the Addon controller (the
   * manifests directory) and the legacy service-account token controller (the signing key) need its files, and
   * run only when it is given.
   */
  files?: ServerFiles;
}

/**
 * The controllers a server runs (under leader election).
 *
 * @example
 * ```ts
 * for (const c of defaultControllers({ client, registry, manager }, { clusterCidr: "10.42.0.0/16" })) manager.add(c);
 * ```
 */
export function defaultControllers(deps: ControllerDeps, settings: ControllerSettings = {}): Controller[] {
  return [
    namespaceController(deps),
    ...garbageCollector(deps),
    replicaSetController(deps),
    deploymentController(deps),
    statefulSetController(deps),
    daemonSetController(deps),
    ...jobController(deps),
    cronJobController(deps),
    ttlAfterFinishedController(deps),
    nodeLifecycleController(deps),
    taintEvictionController(deps),
    podGcController(deps),
    endpointsController(deps),
    endpointSliceController(deps),
    serviceAccountController(deps),
    nodeIpamController(deps, { clusterCidr: settings.clusterCidr }),
    schedulerController(deps),
    clusterRoleAggregationController(deps),
    bootstrapTokenCleaner(deps),
    ...(settings.files ? filesControllers(deps, settings.files) : []),
  ];
}

function filesControllers(deps: ControllerDeps, files: ServerFiles): Controller[] {
  const tls = join(files.dataDir, "server", "tls");
  const { dataDir, apiServerSANs } = files;
  return [
    addonController(deps, files),
    ...(deps.serving ? [certificateController(deps, { dataDir, apiServerSANs, listener: deps.serving })] : []),
    serviceAccountTokenController(deps, {
      serviceAccountKeyFile: join(tls, "service.key"),
      rootCAFile: join(tls, "server-ca.crt"),
    }),
    rootCAPublisher(deps, { rootCAFile: join(tls, "server-ca.crt") }),
  ];
}
