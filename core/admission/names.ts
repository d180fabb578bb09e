/**
 * The syntax checks of apimachinery's `util/validation` (DNS labels and subdomains, qualified names, label values,
 * ports, config keys…). Each returns the list of kube's messages for the value, empty when it is valid, so callers
 * turn each message into one `Invalid` cause as kube-apiserver does.
 *
 * @module
 */

import { isIPv6 } from "node:net";

const encoder = new TextEncoder();

/**
 * Go's `len()`: the UTF-8 byte length, which is what kube's length limits count.
 *
 * @example
 * ```ts
 * byteLength("é"); // 2
 * ```
 */
export function byteLength(s: string): number {
  return encoder.encode(s).length;
}

/**
 * `must be no more than N characters`.
 *
 * @example
 * ```ts
 * maxLenError(63);
 * ```
 */
export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/**
 * kube's regex error text: `<msg> (e.g. 'a' or 'b', regex used for validation is '<fmt>')`.
 *
 * @example
 * ```ts
 * regexError("a valid percent string must …", "[0-9]+%", "1%", "93%");
 * ```
 */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(" or ")}regex used for validation is '${fmt}')`;
}

/** `must be non-empty`. */
export const emptyError = "must be non-empty";

/**
 * `must be between lo and hi, inclusive`.
 *
 * @example
 * ```ts
 * inclusiveRangeError(1, 65535);
 * ```
 */
export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

const dns1123LabelFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1035LabelFmt = "[a-z]([-a-z0-9]*[a-z0-9])?";
const qualifiedNameFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const labelValueFmt = `(${qualifiedNameFmt})?`;
const configMapKeyFmt = "[-._a-zA-Z0-9]+";
const percentFmt = "[0-9]+%";
const httpHeaderNameFmt = "[-A-Za-z0-9]+";

const whole = (fmt: string) => new RegExp(`^${fmt}$`);
const dns1123Label = whole(dns1123LabelFmt);
const dns1123Subdomain = whole(dns1123SubdomainFmt);
const dns1035Label = whole(dns1035LabelFmt);
const qualifiedName = whole(qualifiedNameFmt);
const labelValue = whole(labelValueFmt);
const configMapKey = whole(configMapKeyFmt);
const percent = whole(percentFmt);
const httpHeaderName = whole(httpHeaderNameFmt);

/**
 * RFC 1123 label (63 characters): container, port and volume names, namespaces.
 *
 * @example
 * ```ts
 * isDNS1123Label("my.name"); // ["must not contain dots"]
 * ```
 */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenError(63));
  if (!dns1123Label.test(value)) {
    // A valid subdomain that is not a valid label can only be so because of its dots.
    if (dns1123Subdomain.test(value)) errs.push("must not contain dots");
    else {
      errs.push(
        regexError(
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
          dns1123LabelFmt,
          "my-name",
          "123-abc",
        ),
      );
    }
  }
  return errs;
}

/**
 * RFC 1123 subdomain (253 characters): the name of most objects.
 *
 * @example
 * ```ts
 * isDNS1123Subdomain("Bad_Name").length; // 1
 * ```
 */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 253) errs.push(maxLenError(253));
  if (!dns1123Subdomain.test(value)) {
    errs.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        dns1123SubdomainFmt,
        "example.com",
      ),
    );
  }
  return errs;
}

/**
 * RFC 1035 label (starts with a letter): Service names.
 *
 * @example
 * ```ts
 * isDNS1035Label("1web").length; // 1
 * ```
 */
export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenError(63));
  if (!dns1035Label.test(value)) {
    errs.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        dns1035LabelFmt,
        "my-name",
        "abc-123",
      ),
    );
  }
  return errs;
}

const qualifiedNameErrMsg =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/**
 * A qualified name (label and annotation keys, finalizers): optional DNS-subdomain prefix and `/`, then ≤ 63 characters.
 *
 * @example
 * ```ts
 * isQualifiedName("example.com/MyName"); // []
 * ```
 */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split("/");
  let name: string;
  if (parts.length === 1) name = parts[0];
  else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) errs.push("prefix part " + emptyError);
    else errs.push(...isDNS1123Subdomain(prefix).map((m) => "prefix part " + m));
  } else {
    return [
      "a qualified name " + regexError(qualifiedNameErrMsg, qualifiedNameFmt, "MyName", "my.name", "123-abc") +
      " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push("name part " + emptyError);
  else if (byteLength(name) > 63) errs.push("name part " + maxLenError(63));
  if (!qualifiedName.test(name)) {
    errs.push("name part " + regexError(qualifiedNameErrMsg, qualifiedNameFmt, "MyName", "my.name", "123-abc"));
  }
  return errs;
}

/**
 * A label value: empty, or ≤ 63 alphanumerics with `-_.` inside.
 *
 * @example
 * ```ts
 * isValidLabelValue("my_value"); // []
 * ```
 */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenError(63));
  if (!labelValue.test(value)) {
    errs.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        labelValueFmt,
        "MyValue",
        "my_value",
        "12345",
      ),
    );
  }
  return errs;
}

function hasChDirPrefix(value: string): string[] {
  if (value === ".") return ["must not be '.'"];
  if (value === "..") return ["must not be '..'"];
  if (value.startsWith("..")) return ["must not start with '..'"];
  return [];
}

/**
 * A ConfigMap or Secret key (also the key of a `configMapKeyRef`).
 *
 * @example
 * ```ts
 * isConfigMapKey("app.conf"); // []
 * ```
 */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 253) errs.push(maxLenError(253));
  if (!configMapKey.test(value)) {
    errs.push(
      regexError(
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
        configMapKeyFmt,
        "key.name",
        "KEY_NAME",
        "key-name",
      ),
    );
  }
  errs.push(...hasChDirPrefix(value));
  return errs;
}

/**
 * A port number, 1–65535.
 *
 * @example
 * ```ts
 * isValidPortNum(0); // ["must be between 1 and 65535, inclusive"]
 * ```
 */
export function isValidPortNum(port: number): string[] {
  return port >= 1 && port <= 65535 && Number.isInteger(port) ? [] : [inclusiveRangeError(1, 65535)];
}

/**
 * An IANA service name (named container ports, `targetPort: http`).
 *
 * @example
 * ```ts
 * isValidPortName("http"); // []
 * ```
 */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (byteLength(port) > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(port)) errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (!/[a-z]/.test(port)) errs.push("must contain at least one letter (a-z)");
  if (port.includes("--")) errs.push("must not contain consecutive hyphens");
  if (port.length > 0 && (port.startsWith("-") || port.endsWith("-"))) {
    errs.push("must not begin or end with a hyphen");
  }
  return errs;
}

/**
 * A percentage string such as `25%`.
 *
 * @example
 * ```ts
 * isValidPercent("25%"); // []
 * ```
 */
export function isValidPercent(value: string): string[] {
  if (percent.test(value)) return [];
  return [
    regexError(
      "a valid percent string must be a numeric string followed by an ending '%'",
      percentFmt,
      "1%",
      "93%",
    ),
  ];
}

/**
 * An environment variable name under 1.32's default RelaxedEnvironmentVariableValidation: printable ASCII but `=`.
 *
 * @example
 * ```ts
 * isRelaxedEnvVarName("A=B").length; // 1
 * ```
 */
export function isRelaxedEnvVarName(value: string): string[] {
  if (value.length === 0) return ["environment variable name " + emptyError];
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20 || cp > 0x7e || ch === "=") {
      return ["a valid environment variable name must consist only of printable ASCII characters other than '='"];
    }
  }
  return [];
}

/**
 * An HTTP header name (probe `httpHeaders`).
 *
 * @example
 * ```ts
 * isHTTPHeaderName("X-Token"); // []
 * ```
 */
export function isHTTPHeaderName(value: string): string[] {
  if (httpHeaderName.test(value)) return [];
  return [
    regexError(
      "a valid HTTP header must consist of alphanumeric characters or '-'",
      httpHeaderNameFmt,
      "X-Header-Name",
    ),
  ];
}

/**
 * A name that is safe as one URL path segment — what kube requires of kinds without a stricter rule (RBAC roles).
 *
 * @example
 * ```ts
 * isValidPathSegmentName("system:node"); // []
 * ```
 */
export function isValidPathSegmentName(name: string): string[] {
  for (const illegal of [".", ".."]) if (name === illegal) return [`may not be '${illegal}'`];
  return ["/", "%"].filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`);
}

const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * Whether `value` parses as an IP address the way Go's sloppy parser does (leading zeros in IPv4 allowed).
 *
 * @example
 * ```ts
 * isIP("10.43.0.1"); // true
 * ```
 */
export function isIP(value: string): boolean {
  const m = ipv4.exec(value);
  if (m) return m.slice(1).every((o) => Number(o) <= 255);
  return isIPv6(value);
}

/** kube's message for a value that is not an IP address. */
export const invalidIPMessage = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";

/**
 * Whether `value` is a CIDR (`10.0.0.0/8`, `2001:db8::/64`).
 *
 * @example
 * ```ts
 * isCIDR("10.0.0.0/8"); // true
 * ```
 */
export function isCIDR(value: string): boolean {
  const [ip, bits, ...rest] = value.split("/");
  if (rest.length || bits === undefined || !/^\d+$/.test(bits) || !isIP(ip)) return false;
  return Number(bits) <= (ip.includes(":") ? 128 : 32);
}

/** kube's message for a value that is not a CIDR. */
export const invalidCIDRMessage = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

/** A name rule: the messages for `name`, where `prefix` means it is a generateName prefix. */
export type NameValidator = (name: string, prefix: boolean) => string[];

// A generateName prefix may end in '-'; kube masks the end before checking. Its slice drops two characters, not one.
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith("-") ? name.slice(0, -2) + "a" : name;
}

/**
 * The DNS-1123 subdomain name rule (ConfigMaps, Secrets, Pods, Deployments…).
 *
 * @example
 * ```ts
 * nameIsDNSSubdomain("web-", true); // []
 * ```
 */
export const nameIsDNSSubdomain: NameValidator = (name, prefix) =>
  isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);

/**
 * The DNS-1123 label name rule (Namespaces, StatefulSets).
 *
 * @example
 * ```ts
 * nameIsDNSLabel("kube.system", false); // ["must not contain dots"]
 * ```
 */
export const nameIsDNSLabel: NameValidator = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);

/**
 * The DNS-1035 label name rule (Services).
 *
 * @example
 * ```ts
 * nameIsDNS1035Label("1web", false).length; // 1
 * ```
 */
export const nameIsDNS1035Label: NameValidator = (name, prefix) =>
  isDNS1035Label(prefix ? maskTrailingDash(name) : name);

/**
 * The path-segment name rule (RBAC, and kinds admission has no specific rule for).
 *
 * @example
 * ```ts
 * nameIsPathSegment("a/b", false); // ["may not contain '/'"]
 * ```
 */
export const nameIsPathSegment: NameValidator = (name, prefix) =>
  prefix
    ? ["/", "%"].filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`)
    : isValidPathSegmentName(name);

const wildcardSubdomainFmt = `\\*\\.${dns1123SubdomainFmt}`;
const wildcardSubdomain = whole(wildcardSubdomainFmt);

/**
 * A wildcard DNS subdomain (`*.example.com`), allowed as an Ingress host.
 *
 * @example
 * ```ts
 * isWildcardDNS1123Subdomain("*.example.com"); // []
 * ```
 */
export function isWildcardDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 253) errs.push(maxLenError(253));
  if (!wildcardSubdomain.test(value)) {
    errs.push(
      regexError(
        "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character",
        wildcardSubdomainFmt,
        "*.example.com",
      ),
    );
  }
  return errs;
}
