/**
 * The agent's component kubeconfigs as K3s writes them (`deps.KubeConfig`): cluster `local`, context `Default`, user
 * `user`, naming the certificate files rather than embedding them, so a renewed certificate is picked up without
 * rewriting the kubeconfig.
 *
 * @module
 */
import { stringify } from "yaml";
import { writeFileAtomic } from "../../core/pki/mod.ts";

/** What a component kubeconfig points at. */
export interface FileKubeconfigOptions {
  server: string;
  caFile: string;
  certFile: string;
  keyFile: string;
}

/**
 * Write a kubeconfig that names its CA, certificate and key files (mode 0600).
 *
 * @example
 * ```ts
 * await writeFileKubeconfig("/var/lib/rancher/k3s/agent/kubelet.kubeconfig", { server, caFile, certFile, keyFile });
 * ```
 */
export async function writeFileKubeconfig(path: string, options: FileKubeconfigOptions): Promise<void> {
  const config = {
    apiVersion: "v1",
    clusters: [{ cluster: { server: options.server, "certificate-authority": options.caFile }, name: "local" }],
    contexts: [{ context: { cluster: "local", namespace: "default", user: "user" }, name: "Default" }],
    "current-context": "Default",
    kind: "Config",
    preferences: {},
    users: [{ name: "user", user: { "client-certificate": options.certFile, "client-key": options.keyFile } }],
  };
  await writeFileAtomic(path, stringify(config, { indentSeq: false, lineWidth: 0 }), 0o600, 0o700);
}
