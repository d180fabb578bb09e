/**
 * A throwaway HTTP server answering discovery and OpenAPI from the real modules, plus a recorder for writes, so
 * tests can point the real kubectl 1.32 at them. Not the product's server: just enough to check formats.
 *
 * ```ts
 * await using server = await startFakeApiServer();
 * const { stdout } = await kubectl(server, ["api-resources"]);
 * ```
 *
 * @module
 */
import { existsSync } from "node:fs";
import {
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  discoveryFormat,
} from "../../../core/discovery/discovery.ts";
import { OpenAPI, openapiFormat } from "../../../core/openapi/openapi.ts";
import { Registry } from "../../../core/registry/registry.ts";

/** kubectl 1.32 itself, bypassing the machine's version dispatcher. */
export const KUBECTL = "/usr/lib/google-cloud-sdk/bin/kubectl.1.32";
export const HAVE_KUBECTL = existsSync(KUBECTL);

/** One request the server saw. */
export interface SeenRequest {
  method: string;
  path: string;
  query: string;
  accept: string;
  contentType: string;
  body: string;
}

export interface FakeApiServer extends AsyncDisposable {
  url: string;
  requests: SeenRequest[];
  dir: string;
}

function json(body: unknown, status = 200, contentType = "application/json"): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": contentType } });
}

function notFound(): Response {
  return json({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404 }, 404);
}

/**
 * Start the server; `legacyOnly` ignores the aggregated-discovery Accept, as pre-1.26 servers did; `objects`
 * are answered to GETs of their paths (and echoed back to PATCHes).
 */
export async function startFakeApiServer(
  options: { legacyOnly?: boolean; objects?: Record<string, unknown> } = {},
): Promise<FakeApiServer> {
  const registry = new Registry();
  const openapi = new OpenAPI();
  const requests: SeenRequest[] = [];
  const handler = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const accept = request.headers.get("accept") ?? "";
    const contentType = request.headers.get("content-type") ?? "";
    const body = await request.text();
    requests.push({ method: request.method, path: url.pathname, query: url.search, accept, contentType, body });
    const parts = url.pathname.split("/").filter((p) => p !== "");
    const object = options.objects?.[url.pathname];
    if (object && (request.method === "GET" || request.method === "PATCH")) return json(object);
    if (request.method === "POST") {
      const created = JSON.parse(body);
      return json({ ...created, metadata: { ...created.metadata, uid: "1", resourceVersion: "1" } }, 201);
    }
    if (url.pathname === "/version") {
      return json({ major: "1", minor: "32", gitVersion: "v1.32.4", platform: "linux/amd64" });
    }
    if (url.pathname === "/api" || url.pathname === "/apis") {
      const format = discoveryFormat(options.legacyOnly ? "application/json" : accept);
      if (format.format === "not-acceptable") return json({}, 406);
      const scope = url.pathname === "/api" ? "api" : "apis";
      if (format.format === "aggregated") {
        return json(aggregatedDiscovery(registry, scope, format.apiVersion), 200, format.contentType);
      }
      return json(scope === "api" ? apiVersions(url.host) : apiGroupList(registry));
    }
    if (parts[0] === "api" && parts.length === 2) return json(apiResourceList(registry, "", parts[1]) ?? {}, 200);
    if (parts[0] === "apis" && parts.length === 2) return json(apiGroup(registry, parts[1]) ?? {}, 200);
    if (parts[0] === "apis" && parts.length === 3) {
      const list = apiResourceList(registry, parts[1], parts[2]);
      return list ? json(list) : notFound();
    }
    if (url.pathname === "/openapi/v2" || url.pathname.startsWith("/openapi/v3")) {
      if (openapiFormat(accept).format === "not-acceptable") return json({}, 406);
      if (url.pathname === "/openapi/v2") return new Response(openapi.v2().json);
      if (url.pathname === "/openapi/v3") return json(openapi.index());
      const doc = openapi.v3(url.pathname);
      return doc ? new Response(doc.json, { headers: { "content-type": "application/json" } }) : notFound();
    }
    return notFound();
  };
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, handler);
  const serverUrl = `http://127.0.0.1:${server.addr.port}`;
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${dir}/kubeconfig`,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "fake", cluster: { server: serverUrl } }],
      users: [{ name: "fake", user: { token: "t" } }],
      contexts: [{ name: "fake", context: { cluster: "fake", user: "fake", namespace: "default" } }],
      "current-context": "fake",
    }),
  );
  return {
    url: serverUrl,
    requests,
    dir,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Run kubectl 1.32 against the server with a fresh cache; stdin optional. */
export async function kubectl(
  server: FakeApiServer,
  args: string[],
  stdin?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command(KUBECTL, {
    args: [`--kubeconfig=${server.dir}/kubeconfig`, `--cache-dir=${server.dir}/cache`, ...args],
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    env: { HOME: server.dir },
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const { code, stdout, stderr } = await child.output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code, stdout: text(stdout), stderr: text(stderr) };
}
