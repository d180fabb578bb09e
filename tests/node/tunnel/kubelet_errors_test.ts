// The Statuses the API server answers when a kubelet refuses a log request or cannot be reached.
import assert from "node:assert/strict";
import { badRequest } from "../../../core/api/status.ts";
import { backendError, kubeletLogError } from "../../../node/tunnel/mod.ts";

Deno.test("kubelet errors: 400 and 500 keep the kubelet's text, as GenericHttpResponseChecker does", () => {
  const waiting = kubeletLogError(400, `container "main" in pod "web" is waiting to start: ContainerCreating`, "web");
  assert.deepEqual([waiting.code, waiting.status.reason, waiting.message], [
    400,
    "BadRequest",
    `container "main" in pod "web" is waiting to start: ContainerCreating`,
  ]);
  const broken = kubeletLogError(500, "disk on fire", "web");
  assert.deepEqual([broken.code, broken.status.reason, broken.message], [
    500,
    "InternalError",
    "Internal error occurred: disk on fire",
  ]);
});

Deno.test("kubelet errors: a 403 keeps the kubelet's words and names pods/log and the pod", () => {
  const error = kubeletLogError(
    403,
    "Forbidden (user=system:apiserver, verb=get, resource=nodes, subresource=proxy)",
    "web",
  );
  assert.equal(error.status.reason, "Forbidden");
  assert.equal(
    error.message,
    "Forbidden (user=system:apiserver, verb=get, resource=nodes, subresource=proxy) ( pods/log web)",
  );
  assert.deepEqual(error.status.details, { kind: "pods/log", name: "web" });
});

Deno.test("kubelet errors: other codes get apimachinery's generic message", () => {
  assert.equal(
    kubeletLogError(401, "Unauthorized", "web").message,
    "the server has asked for the client to provide credentials ( pods/log web)",
  );
  assert.equal(
    kubeletLogError(502, "bad gateway", "web").message,
    `an error on the server ("bad gateway") has prevented the request from succeeding ( pods/log web)`,
  );
  assert.equal(
    kubeletLogError(418, "teapot", "web").message,
    "the server responded with the status code 418 but did not return more information ( pods/log web)",
  );
});

Deno.test("kubelet errors: an unreachable kubelet is a 500 'error dialing backend', a Status passes through", () => {
  const error = backendError(new Error(`dial 127.0.0.1:10250: no tunnel session for node "node-1"`));
  assert.deepEqual([error.code, error.status.reason, error.message], [
    500,
    "",
    `error dialing backend: dial 127.0.0.1:10250: no tunnel session for node "node-1"`,
  ]);
  const status = badRequest("nope");
  assert.equal(backendError(status), status);
});
