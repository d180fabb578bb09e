/**
 * Admission configuration: webhook configurations and ValidatingAdmissionPolicy (and bindings).
 *
 * @module
 */

import {
  age,
  ageColumn,
  column,
  labelSelectorString,
  list,
  meta,
  nameColumn,
  type Obj,
  type Printer,
  type Printers,
  rec,
  str,
} from "./format.ts";

const GROUP = "admissionregistration.k8s.io";

function webhookPrinter(): Printer {
  return {
    columns: [
      nameColumn(),
      column("Webhooks", "Webhooks indicates the number of webhooks registered in this configuration", {
        type: "integer",
      }),
      ageColumn(),
    ],
    cells: (obj: Obj, now: Date) => [str(meta(obj).name), list(obj.webhooks).length, age(obj, now)],
  };
}

function paramRefName(paramRef: unknown): string {
  if (paramRef === undefined || paramRef === null) return "<unset>";
  const ref = rec(paramRef);
  if (str(ref.name)) {
    // Whether the param is cluster-scoped is unknowable here, so a missing namespace prints as "*".
    return str(ref.namespace) ? `${str(ref.namespace)}/${str(ref.name)}` : `*/${str(ref.name)}`;
  }
  if (ref.selector !== undefined && ref.selector !== null) {
    try {
      return labelSelectorString(ref.selector);
    } catch {
      return "<unset>";
    }
  }
  return "<unset>";
}

/** Printers for the admission family. */
export const admissionPrinters: Printers = {
  [`${GROUP}/MutatingWebhookConfiguration`]: webhookPrinter(),
  [`${GROUP}/ValidatingWebhookConfiguration`]: webhookPrinter(),
  [`${GROUP}/ValidatingAdmissionPolicy`]: {
    columns: [
      nameColumn(),
      column("Validations", "Validations indicates the number of validation rules defined in this configuration", {
        type: "integer",
      }),
      column("ParamKind", "ParamKind specifies the kind of resources used to parameterize this policy"),
      ageColumn(),
    ],
    cells(policy, now) {
      const spec = rec(policy.spec);
      const kind = spec.paramKind
        ? `${str(rec(spec.paramKind).apiVersion)}/${str(rec(spec.paramKind).kind)}`
        : "<unset>";
      return [str(meta(policy).name), list(spec.validations).length, kind, age(policy, now)];
    },
  },
  [`${GROUP}/ValidatingAdmissionPolicyBinding`]: {
    columns: [
      nameColumn(),
      column("PolicyName", "PolicyName indicates the policy definition which the policy binding binded to"),
      column("ParamRef", "ParamRef indicates the param resource which sets the configration param"),
      ageColumn(),
    ],
    cells(binding, now) {
      const spec = rec(binding.spec);
      return [str(meta(binding).name), str(spec.policyName), paramRefName(spec.paramRef), age(binding, now)];
    },
  },
};
