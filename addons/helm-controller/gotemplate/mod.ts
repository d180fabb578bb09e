/**
 * Go's `text/template`, exactly as Helm 3 renders charts with it: parsing, execution, the builtin functions and
 * Go's `fmt` printing, over a shared model of Go values as JavaScript values (see `value.ts`).
 *
 * @example
 * ```ts
 * import { TemplateSet } from "./mod.ts";
 * const set = new TemplateSet({ missingKey: "zero" });
 * set.parse("cm.yaml", "replicas: {{ .Values.replicas }}");
 * set.execute("cm.yaml", { Values: { replicas: 1e6 } }); // "replicas: 1e+06"
 * ```
 *
 * @module
 */
export { TemplateSet, type TemplateSetOptions } from "./template.ts";
export { TemplateError } from "./error.ts";
export { type MissingKey } from "./exec.ts";
export { formatValue, sprint, sprintf, sprintln } from "./fmt.ts";
export { formatFloat } from "./ftoa.ts";
export { quote } from "./quote.ts";
export { type GoParam, signatureOf, withSignature } from "./signature.ts";
export { compareStrings, type GoFunc, type GoMap, goTypeName, isMap, isTrue, sortedKeys } from "./value.ts";
