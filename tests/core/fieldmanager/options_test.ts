// Who a write is recorded for, and kube's checks of fieldManager and force.
import assert from "node:assert/strict";
import { StatusError } from "../../../core/api/status.ts";
import { managerOrUserAgent, validateWriteOptions } from "../../../core/fieldmanager/options.ts";

Deno.test("manager: without fieldManager a write is recorded for the User-Agent's program name", () => {
  assert.equal(managerOrUserAgent(undefined, "kubectl/v1.32.5 (linux/amd64) kubernetes/9894294"), "kubectl");
  assert.equal(managerOrUserAgent(null, "kube-controller-manager/v1.32.0 (linux/amd64)"), "kube-controller-manager");
  assert.equal(managerOrUserAgent("kubectl-label", "kubectl/v1.32.5"), "kubectl-label");
  assert.equal(managerOrUserAgent(undefined, "a\u0007b/1"), "ab");
  assert.equal(managerOrUserAgent(undefined, "x".repeat(200)), "x".repeat(128));
  assert.equal(managerOrUserAgent(undefined, null), "");
});

function refusal(kind: "CreateOptions" | "PatchOptions", query: string, apply = false): StatusError {
  try {
    validateWriteOptions(kind, new URLSearchParams(query), apply);
  } catch (error) {
    if (error instanceof StatusError) return error;
    throw error;
  }
  assert.fail("expected a refusal");
}

Deno.test("manager: an apply without fieldManager is kube's 422 on PatchOptions", () => {
  const error = refusal("PatchOptions", "force=true", true);
  assert.equal(error.code, 422);
  assert.equal(
    error.status.message,
    'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
  );
});

Deno.test("manager: force on any other patch is forbidden", () => {
  assert.equal(
    refusal("PatchOptions", "fieldManager=x&force=false").status.message,
    'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
  );
});

Deno.test("manager: a manager name over 128 bytes is too long", () => {
  assert.match(refusal("CreateOptions", `fieldManager=${"m".repeat(129)}`).status.message, /may not be more than 128/);
  validateWriteOptions("CreateOptions", new URLSearchParams(`fieldManager=${"m".repeat(128)}`));
});
