// TokenReview: a bearer token is reviewed through the server's token chain for the audiences asked, answered and
// never stored, as kube-apiserver answers webhook token authenticators.
import assert from "node:assert/strict";
import type { Client, KubeResource } from "../../../../core/client/mod.ts";
import { withCluster } from "../../../support/cluster.ts";

interface Review extends KubeResource {
  spec?: object;
  status?: { authenticated?: boolean; user?: { username?: string; groups?: string[] }; audiences?: string[] };
}

async function robotToken(client: Client, audiences?: string[]): Promise<string> {
  await client.create({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "robot", namespace: "default" } })
    .catch(() => {});
  const request = await client.createSubresource<{ status: { token: string } }>(
    { apiVersion: "v1", kind: "ServiceAccount" },
    "default",
    "robot",
    "token",
    { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: { audiences } },
  );
  return request.status.token;
}

const review = (client: Client, spec: object) =>
  client.create<Review>({ apiVersion: "authentication.k8s.io/v1", kind: "TokenReview", spec });

Deno.test("TokenReview: a service account's token is authenticated as its user with its groups", async () => {
  await withCluster(() => [], async (client) => {
    const answer = await review(client, { token: await robotToken(client) });
    assert.equal(answer.status?.authenticated, true);
    assert.equal(answer.status?.user?.username, "system:serviceaccount:default:robot");
    assert.deepEqual(answer.status?.user?.groups, [
      "system:serviceaccounts",
      "system:serviceaccounts:default",
      "system:authenticated",
    ]);
  });
});

Deno.test("TokenReview: a token is authenticated only for an audience it was issued for", async () => {
  await withCluster(() => [], async (client) => {
    const vault = await robotToken(client, ["vault"]);
    const forVault = await review(client, { token: vault, audiences: ["vault"] });
    assert.equal(forVault.status?.authenticated, true);
    assert.deepEqual(forVault.status?.audiences, ["vault"]);
    assert.equal((await review(client, { token: vault })).status?.authenticated, undefined, "not for the API");
    const api = await robotToken(client);
    assert.equal((await review(client, { token: api, audiences: ["vault"] })).status?.authenticated, undefined);
  });
});

Deno.test("TokenReview: a forged token is not authenticated, and an empty one is a bad request", async () => {
  await withCluster(() => [], async (client) => {
    const forged = await review(client, { token: "eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl" });
    assert.deepEqual(forged.status, { user: {} });
    await assert.rejects(review(client, {}), /token is required for TokenReview in authentication/);
  });
});
