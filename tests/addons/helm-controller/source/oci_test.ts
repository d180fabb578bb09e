// Charts from an OCI registry speaking the distribution API on loopback, behind a bearer-token challenge.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { loadArchive } from "../../../../addons/helm-controller/chart/mod.ts";
import { pullOci } from "../../../../addons/helm-controller/source/mod.ts";
import { chartYaml, packChart } from "../chart/fixture.ts";
import { type Handler, serveHttp, type TestServer } from "./servers.ts";

/** A registry holding `charts/web` in some versions; pulls need a token the `/token` realm gives to user:pw. */
async function registry(tags: string[]): Promise<TestServer> {
  const blobs = new Map<string, Uint8Array>();
  const manifests = new Map<string, string>();
  for (const tag of tags) {
    const archive = await packChart("web", { "Chart.yaml": chartYaml("web").replace("0.1.0", tag.replace("_", "+")) });
    const digest = `sha256:${createHash("sha256").update(archive).digest("hex")}`;
    blobs.set(digest, archive);
    manifests.set(
      tag,
      JSON.stringify({
        schemaVersion: 2,
        config: { mediaType: "application/vnd.cncf.helm.config.v1+json", digest: "sha256:0", size: 2 },
        layers: [{ mediaType: "application/vnd.cncf.helm.chart.content.v1.tar+gzip", digest, size: archive.length }],
      }),
    );
  }
  let base = "";
  const handler: Handler = (req, res) => {
    const url = new URL(req.url ?? "/", base);
    if (url.pathname === "/token") {
      const ok = req.headers.authorization === `Basic ${btoa("user:pw")}` &&
        url.searchParams.get("scope") === "repository:charts/web:pull";
      res.writeHead(ok ? 200 : 401).end(ok ? JSON.stringify({ token: "t0k" }) : "");
      return;
    }
    if (req.headers.authorization !== "Bearer t0k") {
      res.writeHead(401, {
        "www-authenticate": `Bearer realm="${base}/token",service="test",scope="repository:charts/web:pull"`,
      }).end();
      return;
    }
    const prefix = "/v2/charts/web/";
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : "";
    if (path === "tags/list") {
      res.writeHead(200).end(JSON.stringify({ name: "charts/web", tags }));
    } else if (path.startsWith("manifests/") && manifests.has(decodeURIComponent(path.slice(10)))) {
      const ok = req.headers.accept === "application/vnd.oci.image.manifest.v1+json";
      res.writeHead(ok ? 200 : 406).end(manifests.get(decodeURIComponent(path.slice(10))));
    } else if (path.startsWith("blobs/") && blobs.has(path.slice(6))) {
      res.writeHead(200).end(blobs.get(path.slice(6)));
    } else {
      res.writeHead(404, "Not Found").end();
    }
  };
  const server = await serveHttp(handler);
  base = server.url;
  return server;
}

Deno.test("an OCI chart is pulled in the highest tag matching the range, with a token from the challenge's realm", async () => {
  const server = await registry(["1.0.0", "1.2.0", "1.3.0_build.1", "2.0.0"]);
  try {
    const ref = `oci://${server.url.slice("http://".length)}/charts/web`;
    const { archive, tag } = await pullOci(ref, "~1.2", { plainHTTP: true, username: "user", password: "pw" });
    assert.equal(tag, "1.2.0");
    assert.equal(loadArchive(archive).metadata.Version, "1.2.0");
    const newest = await pullOci(ref, "", { plainHTTP: true, username: "user", password: "pw" });
    assert.equal(newest.tag, "2.0.0");
  } finally {
    await server.close();
  }
});

Deno.test("a tag in the reference is pulled as it is", async () => {
  const server = await registry(["1.0.0", "2.0.0"]);
  try {
    const ref = `oci://${server.url.slice("http://".length)}/charts/web:1.0.0`;
    const { archive } = await pullOci(ref, "", { plainHTTP: true, username: "user", password: "pw" });
    assert.equal(loadArchive(archive).metadata.Version, "1.0.0");
  } finally {
    await server.close();
  }
});

Deno.test("a registry refusing the credentials fails the pull", async () => {
  const server = await registry(["1.0.0"]);
  try {
    const ref = `oci://${server.url.slice("http://".length)}/charts/web`;
    await assert.rejects(
      pullOci(ref, "", { plainHTTP: true, username: "user", password: "wrong" }),
      /failed to fetch oauth token/,
    );
  } finally {
    await server.close();
  }
});
