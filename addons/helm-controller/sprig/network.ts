/**
 * Sprig's `getHostByName`: one of the addresses Go's `net.LookupHost` finds, chosen at random. Template functions
 * are synchronous, so the lookup goes through the system resolver with `getent ahosts` (hosts file, then DNS, as
 * Go's cgo resolver does); an IP literal is its own answer. A name that does not resolve fails as Sprig does,
 * picking from an empty list. (Helm replaces this function with one returning "" unless DNS is enabled.)
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import { isIP } from "node:net";
import { withSignature as fn } from "../gotemplate/signature.ts";
import type { GoFunc } from "../gotemplate/value.ts";

/**
 * The addresses a host name resolves to, IPv4 and IPv6, without duplicates.
 *
 * @example
 * ```ts
 * lookupHost("localhost"); // ["127.0.0.1", "::1"] on most systems
 * ```
 */
export function lookupHost(name: string): string[] {
  if (isIP(name)) return [name];
  if (name === "" || name.startsWith("-")) return [];
  try {
    const out = execFileSync("getent", ["ahosts", name], { encoding: "utf8", timeout: 10_000, stdio: "pipe" });
    return [...new Set(out.split("\n").map((line) => line.split(/\s+/)[0]).filter((a) => isIP(a)))];
  } catch {
    return [];
  }
}

/** Sprig's network functions by their template names. */
export const networkFunctions: Record<string, GoFunc> = {
  getHostByName: fn((name) => {
    const addrs = lookupHost(name as string);
    if (addrs.length === 0) throw new Error("invalid argument to Intn");
    return addrs[Math.floor(Math.random() * addrs.length)];
  }, ["string"]),
};
