/**
 * The versions this distribution reports: K3s-style release `v<kubernetes>+<suffix>`.
 *
 * @module
 */
import process from "node:process";

/** The Kubernetes version whose API is served (kubectl's dispatcher picks its client by the minor). */
export const KUBERNETES_VERSION = "v1.32.5";

/** This program's release, in K3s's style. */
export const K3S_VERSION = `${KUBERNETES_VERSION}+k3sts1`;

/**
 * The commit this program was built from. `deno task build` stamps it into the bundle (as K3s's build sets
 * `version.GitCommit` with `-ldflags -X`); a run from source says "dev".
 */
export const GIT_COMMIT: string = "dev";

/**
 * What `k3s --version` prints: K3s's two lines, with the JavaScript runtime where K3s names its Go version.
 *
 * ```ts
 * versionText();
 * // "k3s version v1.32.5+k3sts1 (1a2b3c4d)\nnode version v26.12.1"
 * ```
 */
export function versionText(): string {
  const deno = process.versions.deno;
  const runtime = deno ? `deno version v${deno}` : `node version ${process.version}`;
  return `k3s version ${K3S_VERSION} (${GIT_COMMIT.slice(0, 8)})\n${runtime}`;
}
