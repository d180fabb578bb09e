/**
 * Discovery (`/api`, `/apis`, per group-version lists, aggregated v2) and OpenAPI (`/openapi/v2`,
 * `/openapi/v3[/…]`) served from the registry, with kube-apiserver's content negotiation.
 *
 * @module
 */
import {
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  discoveryFormat,
} from "../discovery/discovery.ts";
import { type OpenAPI, openapiFormat } from "../openapi/openapi.ts";
import { jsonResponse } from "../api/router.ts";
import { notAcceptable } from "../api/status.ts";
import type { Registry } from "../registry/registry.ts";

function json(body: unknown, contentType = "application/json"): Response {
  return new Response(typeof body === "string" ? body : JSON.stringify(body), {
    headers: { "content-type": contentType },
  });
}

/**
 * Answer a discovery or OpenAPI path, or undefined for anything else.
 *
 * @example
 * ```ts
 * discoveryEndpoint(registry, openapi, new URL("https://h/apis/apps/v1"), "application/json");
 * ```
 */
export function discoveryEndpoint(
  registry: Registry,
  openapi: OpenAPI,
  url: URL,
  accept: string | null,
  serverAddress: string,
): Response | undefined {
  const path = url.pathname.replace(/\/+$/, "");
  const parts = path.split("/").filter(Boolean);
  if (path === "/api" || path === "/apis") {
    const format = discoveryFormat(accept);
    if (format.format === "not-acceptable") {
      return jsonResponse(notAcceptable("only application/json is served").status, 406);
    }
    if (format.format === "aggregated") {
      return json(
        aggregatedDiscovery(registry, path === "/api" ? "api" : "apis", format.apiVersion),
        format.contentType,
      );
    }
    return json(path === "/api" ? apiVersions(serverAddress) : apiGroupList(registry));
  }
  if (parts[0] === "api" && parts.length === 2) return found(apiResourceList(registry, "", parts[1]));
  if (parts[0] === "apis" && parts.length === 2) return found(apiGroup(registry, parts[1]));
  if (parts[0] === "apis" && parts.length === 3) return found(apiResourceList(registry, parts[1], parts[2]));
  if (path === "/openapi/v2" || path === "/swagger.json") {
    if (openapiFormat(accept).format === "not-acceptable") {
      return jsonResponse(notAcceptable("only application/json is served for /openapi/v2").status, 406);
    }
    return json(openapi.v2().json);
  }
  if (path === "/openapi/v3") return json(openapi.index());
  if (path.startsWith("/openapi/v3/")) {
    const document = openapi.v3(path.slice("/openapi/v3/".length));
    if (!document) return undefined;
    return new Response(document.json, {
      headers: { "content-type": "application/json", etag: `"${document.hash}"`, "cache-control": "public, immutable" },
    });
  }
  return undefined;
}

function found(body: unknown): Response | undefined {
  return body === undefined ? undefined : json(body);
}
