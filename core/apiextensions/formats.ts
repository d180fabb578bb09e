/**
 * The string formats apiextensions-apiserver checks in custom objects (its `supportedFormats`, as go-openapi's
 * strfmt registry validates them). Any other `format` is documentation only and never fails.
 *
 * @module
 */
import { isIPv4, isIPv6 } from "node:net";

const uuid = (version: number) =>
  new RegExp(`^[0-9a-f]{8}-?[0-9a-f]{4}-?${version}[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$`, "i");

const FORMATS: Record<string, (value: string) => boolean> = {
  bsonobjectid: (v) => /^[0-9a-f]{24}$/i.test(v),
  uri: (v) => v.startsWith("/") || URL.canParse(v),
  email: (v) => /^(?:[^<>@\s]+|[^<>]*<[^<>@\s]+@[^<>@\s]+>)$/.test(v) && v.includes("@"),
  hostname: (v) =>
    v.length <= 255 &&
    /^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z\p{L}]){2,63})$/u
      .test(v),
  ipv4: (v) => isIPv4(v),
  ipv6: (v) => isIPv6(v),
  cidr: (v) => {
    const [ip, bits, extra] = v.split("/");
    if (extra !== undefined || bits === undefined || !/^\d+$/.test(bits)) return false;
    return isIPv4(ip) ? Number(bits) <= 32 : isIPv6(ip) && Number(bits) <= 128;
  },
  mac: (v) =>
    /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$|^([0-9a-f]{2}[:-]){7}[0-9a-f]{2}$|^([0-9a-f]{2}[:-]){19}[0-9a-f]{2}$|^([0-9a-f]{4}\.){2}[0-9a-f]{4}$|^([0-9a-f]{4}\.){3}[0-9a-f]{4}$|^([0-9a-f]{4}\.){9}[0-9a-f]{4}$/i
      .test(v),
  uuid: (v) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(v),
  uuid3: (v) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(v),
  uuid4: (v) => uuid(4).test(v),
  uuid5: (v) => uuid(5).test(v),
  isbn: (v) => isbn10(v) || isbn13(v),
  isbn10: (v) => isbn10(v),
  isbn13: (v) => isbn13(v),
  creditcard: (v) =>
    /^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35\d{3})\d{11})$/
      .test(v.replace(/[^0-9]/g, "")),
  ssn: (v) => /^\d{3}[- ]?\d{2}[- ]?\d{4}$/.test(v),
  hexcolor: (v) => /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(v),
  rgbcolor: (v) => /^rgb\(\s*\d{1,3}%?\s*,\s*\d{1,3}%?\s*,\s*\d{1,3}%?\s*\)$/.test(v),
  byte: (v) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(v),
  password: () => true,
  date: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v + "T00:00:00Z")),
  duration: (v) =>
    /^\s*([+-]?\d+(\.\d+)?\s*(ns|us|µs|ms|s|m|h|d|w|nanoseconds?|microseconds?|milliseconds?|seconds?|minutes?|hours?|days?|weeks?)\s*)+$/i
      .test(v),
  datetime: (v) =>
    /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?$/.test(v) &&
    !Number.isNaN(Date.parse(v.slice(0, 10))),
};

function isbn10(v: string): boolean {
  const digits = v.replace(/[\s-]/g, "");
  if (!/^\d{9}[\dX]$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (digits[i] === "X" ? 10 : Number(digits[i])) * (10 - i);
  return sum % 11 === 0;
}

function isbn13(v: string): boolean {
  const digits = v.replace(/[\s-]/g, "");
  if (!/^\d{13}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += Number(digits[i]) * (i % 2 === 0 ? 1 : 3);
  return sum % 10 === 0;
}

/**
 * Whether `value` satisfies `format`; formats kube does not check always pass.
 *
 * @example
 * ```ts
 * validFormat("date-time", "2024-05-01T10:00:00Z"); // true
 * validFormat("ipv4", "300.1.1.1"); // false
 * validFormat("my-format", "anything"); // true
 * ```
 */
export function validFormat(format: string, value: string): boolean {
  const check = FORMATS[format.replaceAll("-", "")];
  return check ? check(value) : true;
}
