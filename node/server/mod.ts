/**
 * The kubelet's HTTPS API (port 10250): health, container logs, exec, attach and port-forward for the pods this node
 * runs, behind client-certificate authentication and per-request authorization.
 *
 * @example
 * ```ts
 * import { startKubeletServer } from "./mod.ts";
 * const { port, close } = await startKubeletServer(options);
 * ```
 *
 * @module
 */
export {
  certificateUser,
  forbiddenMessage,
  type KubeletRequestAttributes,
  type KubeletUser,
  requestAttributes,
} from "./authorization.ts";
export { type KubeletServer, type KubeletServerOptions, startKubeletServer } from "./server.ts";
