/**
 * The versions this distribution reports: K3s-style release `v<kubernetes>+<suffix>`.
 *
 * @module
 */

/** The Kubernetes version whose API is served (kubectl's dispatcher picks its client by the minor). */
export const KUBERNETES_VERSION = "v1.32.4";

/** This program's release, in K3s's style. */
export const K3S_VERSION = `${KUBERNETES_VERSION}+k3sts1`;
