/**
 * Sprig's template function library as Helm 3 ships it: Masterminds/sprig v3's `TxtFuncMap` without `env` and
 * `expandenv`, which Helm removes. Every function takes and returns values of the shared value model (see
 * `../gotemplate/value.ts`) and declares its Go signature, so the template engine checks and converts arguments
 * as Go's `text/template` does.
 *
 * @module
 */
import type { GoFunc } from "../gotemplate/value.ts";
import { withSignature as fn } from "../gotemplate/signature.ts";
import { certFunctions } from "./certs.ts";
import { cryptoFunctions } from "./crypto.ts";
import { dateFunctions } from "./date.ts";
import { defaultFunctions } from "./defaults.ts";
import { dictFunctions } from "./dicts.ts";
import { encodingFunctions } from "./encoding.ts";
import { listFunctions } from "./lists.ts";
import { mathFunctions } from "./math.ts";
import { networkFunctions } from "./network.ts";
import { pathFunctions } from "./paths.ts";
import { randomFunctions } from "./random.ts";
import { reflectFunctions } from "./reflect.ts";
import { regexFunctions } from "./regex.ts";
import { semverFunctions } from "./semver.ts";
import { stringFunctions } from "./strings.ts";
import { urlFunctions } from "./url.ts";
import { wordCaseFunctions } from "./wordcase.ts";

export { Certificate } from "./certs.ts";
export { Version } from "./semver.ts";

/**
 * A fresh copy of Sprig's function map (callers may add to or override it, as Helm does with `include`, `tpl`,
 * `toYaml`, `getHostByName`, …).
 *
 * @example
 * ```ts
 * const funcs = sprigFunctions();
 * funcs.add(1n, 2n); // 3n
 * funcs.default("x", ""); // "x"
 * ```
 */
export function sprigFunctions(): Record<string, GoFunc> {
  return {
    hello: fn(() => "Hello!", []),
    ...dateFunctions,
    ...stringFunctions,
    ...wordCaseFunctions,
    ...randomFunctions,
    ...cryptoFunctions,
    ...certFunctions,
    ...mathFunctions,
    ...defaultFunctions,
    ...reflectFunctions,
    ...networkFunctions,
    ...pathFunctions,
    ...encodingFunctions,
    ...listFunctions,
    ...dictFunctions,
    ...semverFunctions,
    ...regexFunctions,
    ...urlFunctions,
  };
}
