// kube-apiserver's RequestInfoFactory: the verb, group, resource, subresource, namespace and name authorizers see.
import assert from "node:assert/strict";
import { requestInfo } from "../../../../core/auth/authorization/attributes.ts";

const info = (method: string, path: string) => requestInfo(method, new URL(`https://k3s${path}`));

Deno.test("request info: a GET of a collection is list, with ?watch it is watch", () => {
  assert.deepEqual(
    { ...info("GET", "/api/v1/namespaces/ns/pods") },
    {
      isResourceRequest: true,
      path: "/api/v1/namespaces/ns/pods",
      verb: "list",
      apiGroup: "",
      apiVersion: "v1",
      namespace: "ns",
      resource: "pods",
      subresource: "",
      name: "",
    },
  );
  assert.equal(info("GET", "/apis/apps/v1/deployments?watch=true").verb, "watch");
  assert.equal(info("GET", "/apis/apps/v1/deployments?watch=false").verb, "list");
  assert.equal(info("GET", "/api/v1/watch/namespaces/ns/pods").verb, "watch");
});

Deno.test("request info: a named subresource of a group resource", () => {
  const scale = info("PUT", "/apis/apps/v1/namespaces/ns/deployments/web/scale");
  assert.deepEqual(
    [scale.verb, scale.apiGroup, scale.resource, scale.name, scale.subresource, scale.namespace],
    ["update", "apps", "deployments", "web", "scale", "ns"],
  );
  const log = info("GET", "/api/v1/namespaces/ns/pods/web/log");
  assert.deepEqual([log.verb, log.resource, log.subresource], ["get", "pods", "log"]);
});

Deno.test("request info: DELETE without a name is deletecollection; POST is create; PATCH is patch", () => {
  assert.equal(info("DELETE", "/api/v1/namespaces/ns/configmaps").verb, "deletecollection");
  assert.equal(info("DELETE", "/api/v1/namespaces/ns/configmaps/a").verb, "delete");
  assert.equal(info("POST", "/api/v1/namespaces/ns/configmaps").verb, "create");
  assert.equal(info("PATCH", "/api/v1/nodes/n1/status").verb, "patch");
});

Deno.test("request info: a namespace and its status are the namespaces resource, not a namespaced one", () => {
  const ns = info("GET", "/api/v1/namespaces/ns");
  assert.deepEqual([ns.verb, ns.resource, ns.name, ns.namespace], ["get", "namespaces", "ns", "ns"]);
  const status = info("PUT", "/api/v1/namespaces/ns/status");
  assert.deepEqual([status.resource, status.name, status.subresource], ["namespaces", "ns", "status"]);
});

Deno.test("request info: a list pinned to one name by fieldSelector carries that name", () => {
  const one = info("GET", "/api/v1/namespaces/ns/secrets?fieldSelector=metadata.name%3Ddb&watch=1");
  assert.deepEqual([one.verb, one.name, one.fieldSelector], ["watch", "db", "metadata.name=db"]);
  const pods = info("GET", "/api/v1/pods?fieldSelector=spec.nodeName%3Dn1");
  assert.deepEqual([pods.verb, pods.name, pods.fieldSelector], ["list", "", "spec.nodeName=n1"]);
});

Deno.test("request info: discovery, health and version paths are non-resource requests with the method as verb", () => {
  for (const path of ["/api", "/api/v1", "/apis", "/apis/apps", "/apis/apps/v1", "/healthz", "/version", "/"]) {
    const r = info("GET", path);
    assert.deepEqual([r.isResourceRequest, r.verb, r.path], [false, "get", path], path);
  }
  assert.equal(info("HEAD", "/readyz").verb, "head");
});
