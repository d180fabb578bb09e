/**
 * The non-resource endpoints kube-apiserver answers: `/version`, `/healthz`, `/livez`, `/readyz`
 * (with `?verbose` check lists).
 *
 * @module
 */
import process from "node:process";
import type { Store } from "../../datastore/mod.ts";
import { jsonResponse } from "../api/router.ts";
import { K3S_VERSION } from "../version.ts";

const BUILD_DATE = "2026-11-27T00:00:00Z";

/**
 * `/version`: major 1, minor 32 — the machine's kubectl dispatcher picks its client by that minor.
 *
 * @example
 * ```ts
 * versionInfo().minor; // "32"
 * ```
 */
export function versionInfo(): Record<string, string> {
  return {
    major: "1",
    minor: "32",
    gitVersion: K3S_VERSION,
    gitCommit: "",
    gitTreeState: "clean",
    buildDate: BUILD_DATE,
    goVersion: "",
    compiler: "typescript",
    platform: `linux/${process.arch === "arm64" ? "arm64" : "amd64"}`,
  };
}

/**
 * Answer the health and version endpoints, or undefined for any other path.
 *
 * @example
 * ```ts
 * const response = await systemEndpoint(new URL(request.url), store);
 * ```
 */
export async function systemEndpoint(url: URL, store: Store): Promise<Response | undefined> {
  const path = url.pathname.replace(/\/+$/, "");
  if (path === "/version") return jsonResponse(versionInfo());
  const probe = /^\/(healthz|livez|readyz)(?:\/(.+))?$/.exec(path);
  if (!probe) return undefined;
  const checks: [string, () => Promise<void>][] = [
    ["ping", () => Promise.resolve()],
    ["log", () => Promise.resolve()],
    ["etcd", async () => void await store.currentRevision()],
  ];
  if (probe[1] === "readyz") checks.push(["etcd-readiness", async () => void await store.currentRevision()]);
  const selected = probe[2] ? checks.filter(([name]) => name === probe[2]) : checks;
  if (selected.length === 0) {
    return new Response("404 page not found\n", { status: 404, headers: { "content-type": "text/plain" } });
  }
  const lines: string[] = [];
  let healthy = true;
  for (const [name, check] of selected) {
    try {
      await check();
      lines.push(`[+]${name} ok`);
    } catch {
      healthy = false;
      lines.push(`[-]${name} failed: reason withheld`);
    }
  }
  const verbose = url.searchParams.has("verbose");
  const text = verbose || !healthy ? `${lines.join("\n")}\n${probe[1]} check ${healthy ? "passed" : "failed"}\n` : "ok";
  return new Response(text, { status: healthy ? 200 : 500, headers: { "content-type": "text/plain; charset=utf-8" } });
}
