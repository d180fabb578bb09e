// Where a HelmChart's chart comes from: content, URLs (trusted through repoCA / repoCAConfigMap), repositories with
// an authSecret, and the server's static charts — read through a real in-process API for Secrets and ConfigMaps.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { join } from "node:path";
import { loadArchive } from "../../../../addons/helm-controller/chart/mod.ts";
import { fetchChart } from "../../../../addons/helm-controller/source/mod.ts";
import { withCluster } from "../../../support/cluster.ts";
import { chartYaml, packChart } from "../chart/fixture.ts";
import { repository, selfSignedCertificate, serveHttp, serveHttps } from "./servers.ts";

const web = () => packChart("web", { "Chart.yaml": chartYaml("web") });

Deno.test("chartContent is the chart, whatever else the spec names", async () => {
  await withCluster(() => [], async (client) => {
    const tgz = await web();
    const { archive, source } = await fetchChart(
      { chartContent: Buffer.from(tgz).toString("base64"), chart: "stable/other", repo: "http://127.0.0.1:1" },
      { client, namespace: "kube-system" },
    );
    assert.equal(source, "chartContent");
    assert.equal(loadArchive(archive).name(), "web");
  });
});

Deno.test("an https chart URL is trusted through repoCAConfigMap, or not at all without it", async () => {
  const certificate = await selfSignedCertificate();
  const server = await serveHttps(repository({ web: { "0.1.0": await web() } }), certificate);
  try {
    await withCluster(() => [], async (client) => {
      const chart = `${server.url}/web-0.1.0.tgz`;
      const deps = { client, namespace: "kube-system" };
      await assert.rejects(fetchChart({ chart }, deps), /self[- ]signed certificate/);
      await client.create({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "ca", namespace: "kube-system" },
        data: { "ca.crt": certificate.cert },
      });
      const { archive } = await fetchChart({ chart, repoCAConfigMap: { name: "ca" } }, deps);
      assert.equal(loadArchive(archive).name(), "web");
      assert.ok(await fetchChart({ chart, insecureSkipTLSVerify: true }, deps));
      assert.ok(await fetchChart({ chart, repoCA: certificate.cert }, deps));
    });
  } finally {
    await server.close();
  }
});

Deno.test("a repository behind basic auth is read with the authSecret's username and password", async () => {
  const server = await serveHttp(repository({ web: { "0.1.0": await web() } }, { auth: "robot:s3cret" }));
  try {
    await withCluster(() => [], async (client) => {
      await client.create({
        apiVersion: "v1",
        kind: "Secret",
        type: "kubernetes.io/basic-auth",
        metadata: { name: "repo-auth", namespace: "kube-system" },
        stringData: { username: "robot", password: "s3cret" },
      });
      const { source } = await fetchChart(
        { repo: server.url, chart: "web", version: "*", authSecret: { name: "repo-auth" } },
        { client, namespace: "kube-system" },
      );
      assert.equal(source, `${server.url}/web-0.1.0.tgz`);
      assert.ok(server.requests.every((r) => r.authorization === `Basic ${btoa("robot:s3cret")}`));
    });
  } finally {
    await server.close();
  }
});

Deno.test("%{KUBERNETES_API}% static charts are read from the server's static directory", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(join(dir, "charts"));
    await Deno.writeFile(join(dir, "charts", "web.tgz"), await web());
    await withCluster(() => [], async (client) => {
      const deps = { client, namespace: "kube-system", staticDir: dir };
      const { archive } = await fetchChart({ chart: "https://%{KUBERNETES_API}%/static/charts/web.tgz" }, deps);
      assert.equal(loadArchive(archive).name(), "web");
      await assert.rejects(fetchChart({ chart: "https://%{KUBERNETES_API}%/static/charts/nope.tgz" }, deps), {
        message: "failed to fetch https://%{KUBERNETES_API}%/static/charts/nope.tgz : 404 Not Found",
      });
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a bare chart name without a repository is refused as Helm refuses it", async () => {
  await withCluster(() => [], async (client) => {
    await assert.rejects(fetchChart({ chart: "nginx" }, { client, namespace: "kube-system" }), {
      message: "non-absolute URLs should be in form of repo_name/path_to_chart, got: nginx",
    });
  });
});
