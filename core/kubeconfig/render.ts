/**
 * The admin kubeconfig K3s writes to `k3s.yaml`: one cluster, context and user, all named
 * `default`, with the CA, client certificate and key embedded as base64 data.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { stringify } from "yaml";

/** What goes into a kubeconfig. */
export interface KubeconfigOptions {
  /** API server URL, e.g. `https://127.0.0.1:6443`. */
  server: string;
  /** PEM of the CA that signed the server's certificate. */
  caPem: string;
  /** PEM of the client certificate (K3s embeds the leaf followed by the client CA). */
  certPem: string;
  keyPem: string;
  /** Name of the cluster, context and user (default `default`). */
  name?: string;
}

/**
 * Kubeconfig YAML laid out as client-go writes K3s's `k3s.yaml` (keys sorted, lists not indented),
 * so the file diffs cleanly against one from K3s.
 *
 * @example
 * ```ts
 * const text = renderKubeconfig({ server: "https://127.0.0.1:6443", caPem, certPem, keyPem });
 * // apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: LS0t…
 * ```
 */
export function renderKubeconfig(options: KubeconfigOptions): string {
  const name = options.name ?? "default";
  const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
  const config = {
    apiVersion: "v1",
    clusters: [{ cluster: { "certificate-authority-data": base64(options.caPem), server: options.server }, name }],
    contexts: [{ context: { cluster: name, user: name }, name }],
    "current-context": name,
    kind: "Config",
    preferences: {},
    users: [{
      name,
      user: { "client-certificate-data": base64(options.certPem), "client-key-data": base64(options.keyPem) },
    }],
  };
  // lineWidth 0: base64 blobs stay on one line, as in K3s's file.
  return stringify(config, { indentSeq: false, lineWidth: 0 });
}
