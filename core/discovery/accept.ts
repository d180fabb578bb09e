/**
 * HTTP `Accept` headers as media ranges, for the endpoints that answer in more than one format.
 *
 * @module
 */

/** One media range of an `Accept` header, e.g. `application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`. */
export interface MediaRange {
  /** Lower-case type (`application`, or `*`). */
  type: string;
  /** Lower-case subtype (`json`, `com.github.proto-openapi.spec.v2@v1.0+protobuf`, or `*`). */
  subtype: string;
  /** Parameters other than `q`, names lower-cased, values as sent (`as=APIGroupDiscoveryList`). */
  params: Record<string, string>;
  /** Quality, 0 to 1. */
  q: number;
}

/**
 * Parse an `Accept` header into media ranges, most preferred first (by `q`, then by position). A missing or
 * empty header accepts anything; malformed ranges and those with `q=0` are left out.
 *
 * @example
 * ```ts
 * parseAccept("application/json;q=0.5, application/yaml");
 * // [{ type: "application", subtype: "yaml", params: {}, q: 1 }, { type: "application", subtype: "json", params: {}, q: 0.5 }]
 * ```
 */
export function parseAccept(header: string | null | undefined): MediaRange[] {
  const text = header?.trim() ? header : "*/*";
  const ranges: MediaRange[] = [];
  for (const part of text.split(",")) {
    const [mediaType, ...paramParts] = part.split(";").map((s) => s.trim());
    const slash = mediaType.indexOf("/");
    if (slash <= 0 || slash === mediaType.length - 1) continue;
    const range: MediaRange = {
      type: mediaType.slice(0, slash).toLowerCase(),
      subtype: mediaType.slice(slash + 1).toLowerCase(),
      params: {},
      q: 1,
    };
    for (const param of paramParts) {
      const eq = param.indexOf("=");
      if (eq <= 0) continue;
      const name = param.slice(0, eq).trim().toLowerCase();
      const value = param.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1");
      if (name === "q") {
        const q = Number(value);
        range.q = Number.isFinite(q) ? Math.min(Math.max(q, 0), 1) : 1;
      } else range.params[name] = value;
    }
    if (range.q > 0) ranges.push(range);
  }
  // Array.prototype.sort is stable, so equal qualities keep the client's order.
  return ranges.sort((a, b) => b.q - a.q);
}

/**
 * Whether a media range admits `type/subtype` (wildcards allowed in the range, parameters ignored).
 *
 * @example
 * ```ts
 * admits(parseAccept("application/*")[0], "application/json"); // true
 * ```
 */
export function admits(range: MediaRange, mediaType: string): boolean {
  const [type, subtype] = mediaType.toLowerCase().split("/");
  return (range.type === "*" || range.type === type) && (range.subtype === "*" || range.subtype === subtype);
}
