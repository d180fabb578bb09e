/**
 * How a field error prints a decoded JSON value: Go's `field.Error` shows strings quoted, numbers and booleans
 * bare, and maps and slices with `%#v` (`map[string]interface {}{"name":"a"}`), which is what users of custom
 * resources read in kube's messages.
 *
 * @module
 */
import { type FieldValue, GoLiteral, goQuote } from "../admission/field.ts";

/**
 * A JSON value as a field error's bad value.
 *
 * @example
 * ```ts
 * goValue({ name: "a" }); // GoLiteral `map[string]interface {}{"name":"a"}`
 * goValue("x"); // "x" (printed quoted)
 * ```
 */
export function goValue(value: unknown): FieldValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  return new GoLiteral(goSyntax(value));
}

/** Go's `%#v` of a value inside an `interface {}` container. */
function goSyntax(value: unknown): string {
  if (value === null || value === undefined) return "interface {}(nil)";
  if (typeof value === "string") return goQuote(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[]interface {}{${value.map(goSyntax).join(", ")}}`;
  const entries = Object.keys(value as object).sort().map((k) =>
    `${goQuote(k)}:${goSyntax((value as Record<string, unknown>)[k])}`
  );
  return `map[string]interface {}{${entries.join(", ")}}`;
}
