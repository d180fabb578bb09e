// Charts from a Helm repository served by a local HTTP server: index.yaml, version ranges, credentials.
import assert from "node:assert/strict";
import { loadArchive } from "../../../../addons/helm-controller/chart/mod.ts";
import {
  fetchFromRepo,
  matchVersion,
  parseIndex,
  resolveReferenceURL,
} from "../../../../addons/helm-controller/source/mod.ts";
import { chartYaml, packChart } from "../chart/fixture.ts";
import { repository, serveHttp } from "./servers.ts";

async function versions(...list: string[]): Promise<Record<string, Uint8Array>> {
  const out: Record<string, Uint8Array> = {};
  for (const v of list) out[v] = await packChart("web", { "Chart.yaml": chartYaml("web").replace("0.1.0", v) });
  return out;
}

Deno.test("the highest version matching a range is picked; an exact version wins; none means the newest release", () => {
  const sorted = ["2.0.0-rc.1", "1.10.0", "1.2.3", "1.2.0", "0.9.0"];
  assert.equal(matchVersion(sorted, "^1.2"), "1.10.0");
  assert.equal(matchVersion(sorted, "~1.2.0"), "1.2.3");
  assert.equal(matchVersion(sorted, "1.2.0"), "1.2.0");
  assert.equal(matchVersion(sorted, ""), "1.10.0");
  assert.equal(matchVersion(sorted, ">=3"), undefined);
});

Deno.test("an index lists each chart's versions highest first", () => {
  const index = parseIndex(
    "apiVersion: v1\nentries:\n  web:\n  - {version: 1.2.0, urls: [a]}\n  - {version: 1.10.0, urls: [b]}\n  - {version: latest}\n",
  );
  assert.deepEqual(index.get("web")?.map((v) => v.version), ["1.10.0", "1.2.0", "latest"]);
  assert.throws(() => parseIndex("entries: {}\n"), { message: "no API version specified" });
});

Deno.test("chart URLs resolve against the repository URL as a directory", () => {
  assert.equal(resolveReferenceURL("https://h/charts", "web-1.0.0.tgz"), "https://h/charts/web-1.0.0.tgz");
  assert.equal(resolveReferenceURL("https://h/charts/?t=1", "web.tgz"), "https://h/charts/web.tgz?t=1");
  assert.equal(resolveReferenceURL("https://h/charts", "https://cdn/web.tgz"), "https://cdn/web.tgz");
});

Deno.test("a repository chart is downloaded in the highest version matching the range", async () => {
  const server = await serveHttp(repository({ web: await versions("1.0.0", "1.4.2", "2.0.0") }));
  try {
    const { archive, url } = await fetchFromRepo(server.url, "web", "^1.0.0", {});
    assert.equal(url, `${server.url}/web-1.4.2.tgz`);
    assert.equal(loadArchive(archive).metadata.Version, "1.4.2");
  } finally {
    await server.close();
  }
});

Deno.test("a missing chart or version is reported as Helm reports it", async () => {
  const server = await serveHttp(repository({ web: await versions("1.0.0") }));
  try {
    await assert.rejects(fetchFromRepo(server.url, "web", ">=2", {}), {
      message: `chart "web" version ">=2" not found in ${server.url} repository`,
    });
    await assert.rejects(fetchFromRepo(`${server.url}/nope`, "web", "", {}), {
      message: `looks like "${server.url}/nope" is not a valid chart repository or cannot be reached: ` +
        `failed to fetch ${server.url}/nope/index.yaml : 404 Not Found`,
    });
  } finally {
    await server.close();
  }
});

Deno.test("basic-auth credentials are sent to the repository", async () => {
  const server = await serveHttp(repository({ web: await versions("1.0.0") }, { auth: "user:pw" }));
  try {
    await assert.rejects(fetchFromRepo(server.url, "web", "", {}), /401 Unauthorized/);
    const { archive } = await fetchFromRepo(server.url, "web", "", { username: "user", password: "pw" });
    assert.equal(loadArchive(archive).name(), "web");
  } finally {
    await server.close();
  }
});
