// The manifests auto-deploy controller on a real in-process server: files dropped, changed, broken, fixed,
// skipped and deleted under a temporary data dir, and --disable uninstalling a component deployed before.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "../../../core/client/mod.ts";
import { type Controller, type KubeObject, listWatcherFor, Manager } from "../../../core/operator/mod.ts";
import {
  type Addon,
  addonController,
  type AddonSettings,
  LABEL_HASH,
  manifestsDir,
} from "../../../controllers/addon/mod.ts";
import { until, withCluster } from "../../support/cluster.ts";

const options = { sanitizeOps: false, sanitizeResources: false };
const CM = { apiVersion: "v1", kind: "ConfigMap" };
const ADDON = { apiVersion: "k3s.cattle.io/v1", kind: "Addon" };
const EVENT = { apiVersion: "v1", kind: "Event" };

type Deps = Parameters<typeof addonController>[0];
type Obj = KubeObject & { metadata?: { annotations?: Record<string, string> } };

interface Env {
  client: Client;
  dir: string;
  /** What the controller logged. */
  logs: string[];
  write(path: string, content: string): void;
}

/** A cluster running the controller over a fresh data dir. */
async function withManifests(fn: (env: Env) => Promise<void>): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "addon-"));
  const dir = manifestsDir(dataDir);
  mkdirSync(dir, { recursive: true });
  const logs: string[] = [];
  const write = (path: string, content: string) => {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  try {
    await withCluster(
      (deps) => [addonController(deps, { dataDir, log: (line) => logs.push(line) })],
      (client) => fn({ client, dir, logs, write }),
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Run the controller on its own manager while `fn` runs: a server start and stop. */
async function running(deps: Deps, settings: AddonSettings, fn: () => Promise<void>): Promise<void> {
  const manager = new Manager({ source: (kind) => listWatcherFor(deps.client, kind) });
  const controller: Controller = addonController({ ...deps, manager }, settings);
  manager.add(controller);
  const stop = new AbortController();
  const done = manager.start(stop.signal);
  try {
    await fn();
  } finally {
    stop.abort();
    await done;
  }
}

async function find(client: Client, ref: typeof CM, namespace: string | undefined, name: string) {
  try {
    return await client.get<Obj>(ref, namespace, name);
  } catch {
    return undefined;
  }
}

async function addon(client: Client, name: string): Promise<Addon | undefined> {
  return await find(client, ADDON, "kube-system", name) as Addon | undefined;
}

async function eventsOf(client: Client, name: string): Promise<KubeObject[]> {
  const list = await client.list<KubeObject>(EVENT, "kube-system", {
    fieldSelector: `involvedObject.name=${name}`,
  });
  return list.items;
}

function sha256(content: string): string {
  return createHash("sha256").update(content).digest("hex");
}

async function applied(client: Client, name: string, content: string): Promise<Addon> {
  await until(async () => (await addon(client, name))?.spec?.checksum === sha256(content), `${name} applied`);
  return (await addon(client, name))!;
}

function configMap(name: string, namespace?: string, data: Record<string, string> = {}): string {
  const ns = namespace ? `, namespace: ${namespace}` : "";
  return `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}${ns}}\ndata: ${JSON.stringify(data)}\n`;
}

Deno.test({
  name: "manifests: a dropped multi-document file is applied, and its Addon records the source, checksum and kinds",
  ...options,
  fn: () =>
    withManifests(async ({ client, dir, logs, write }) => {
      const content = [
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: demo}\n",
        configMap("one", "demo", { v: "1" }),
        configMap("plain", undefined, { v: "no namespace given" }),
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: demo-reader}\n" +
        'rules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]\n',
      ].join("---\n");
      write("demo.yaml", content);
      const tracked = await applied(client, "demo", content);
      assert.equal(tracked.spec?.source, join(dir, "demo.yaml"));
      assert.equal(
        tracked.metadata.annotations?.["addon.k3s.cattle.io/gvks"],
        "/v1, Kind=Namespace;/v1, Kind=ConfigMap;rbac.authorization.k8s.io/v1, Kind=ClusterRole",
      );
      const one = await find(client, CM, "demo", "one");
      assert.deepEqual(one?.data, { v: "1" });
      assert.ok(await find(client, CM, "default", "plain"), "a namespaced object without a namespace goes to default");
      const role = await find(
        client,
        { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole" },
        undefined,
        "demo-reader",
      );
      assert.ok(role, "cluster-scoped objects are applied");
      assert.match(one?.metadata?.labels?.[LABEL_HASH] ?? "", /^[0-9a-f]{40}$/);
      assert.equal(role?.metadata?.labels?.[LABEL_HASH], one?.metadata?.labels?.[LABEL_HASH]);
      assert.equal(one?.metadata?.annotations?.["objectset.rio.cattle.io/owner-name"], "demo");
      assert.equal(one?.metadata?.annotations?.["objectset.rio.cattle.io/owner-gvk"], "k3s.cattle.io/v1, Kind=Addon");
      await until(
        async () => (await eventsOf(client, "demo")).some((e) => e.reason === "AppliedManifest"),
        "an AppliedManifest event",
      );
      assert.deepEqual(logs, []);
    }),
});

Deno.test({
  name:
    "manifests: a changed file is re-applied, what it drops is pruned, and objects it did not change are not written",
  ...options,
  fn: () =>
    withManifests(async ({ client, write }) => {
      const service = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n" +
        "spec: {selector: {app: web}, ports: [{port: 80}]}\n";
      const deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n" +
        "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n" +
        "    spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]}\n";
      const first = [service, deployment, configMap("one", undefined, { v: "1", old: "x" }), configMap("two")]
        .join("---\n");
      write("app.yaml", first);
      await applied(client, "app", first);
      const before = {
        service: (await find(client, { apiVersion: "v1", kind: "Service" }, "default", "web"))?.metadata
          ?.resourceVersion,
        deployment: (await find(client, { apiVersion: "apps/v1", kind: "Deployment" }, "default", "web"))?.metadata
          ?.resourceVersion,
      };

      assert.ok(before.service && before.deployment);
      const second = [service, deployment, configMap("one", undefined, { v: "changed" })].join("---\n");
      write("app.yaml", second);
      await applied(client, "app", second);
      assert.deepEqual((await find(client, CM, "default", "one"))?.data, { v: "changed" });
      assert.equal(await find(client, CM, "default", "two"), undefined, "the dropped document's object is pruned");
      assert.equal(
        (await find(client, { apiVersion: "v1", kind: "Service" }, "default", "web"))?.metadata?.resourceVersion,
        before.service,
      );
      assert.equal(
        (await find(client, { apiVersion: "apps/v1", kind: "Deployment" }, "default", "web"))?.metadata
          ?.resourceVersion,
        before.deployment,
      );
    }),
});

Deno.test({
  name: "manifests: an object whose kind the file no longer has is pruned through the kinds its Addon recorded",
  ...options,
  fn: () =>
    withManifests(async ({ client, write }) => {
      const secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: token}\nstringData: {t: x}\n";
      const first = configMap("settings") + "---\n" + secret;
      write("kinds.yaml", first);
      await applied(client, "kinds", first);
      assert.ok(await find(client, { apiVersion: "v1", kind: "Secret" }, "default", "token"));
      write("kinds.yaml", configMap("settings"));
      await applied(client, "kinds", configMap("settings"));
      assert.equal(await find(client, { apiVersion: "v1", kind: "Secret" }, "default", "token"), undefined);
      assert.equal(
        (await addon(client, "kinds"))?.metadata.annotations?.["addon.k3s.cattle.io/gvks"],
        "/v1, Kind=ConfigMap",
      );
    }),
});

Deno.test({
  name: "manifests: a file that does not parse is reported with its document, the others apply, and fixing it recovers",
  ...options,
  fn: () =>
    withManifests(async ({ client, dir, logs, write }) => {
      write("a-broken.yaml", configMap("fine") + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: bad\n");
      write("b-good.yaml", configMap("good"));
      await until(async () => Boolean(await find(client, CM, "default", "good")), "the good file applied");
      await until(async () => {
        const events = await eventsOf(client, "a-broken");
        return events.some((e) =>
          e.type === "Warning" && e.reason === "ParseManifestFailed" &&
          e.message.includes(join(dir, "a-broken.yaml")) && e.message.includes("document 2")
        );
      }, "a ParseManifestFailed warning naming the file and the document");
      assert.equal(await find(client, CM, "default", "fine"), undefined, "a file with a bad document is not applied");
      assert.ok(logs.some((line) => line.startsWith("Failed to process config:")));

      const fixed = configMap("fine") + "---\n" + configMap("bad");
      write("a-broken.yaml", fixed);
      await applied(client, "a-broken", fixed);
      assert.ok(await find(client, CM, "default", "bad"));
    }),
});

Deno.test({
  name: "manifests: a document the API refuses is reported with its number and the API's message; the others apply",
  ...options,
  fn: () =>
    withManifests(async ({ client, write }) => {
      write("refused.yaml", [configMap("first"), configMap("Not_Valid"), configMap("third")].join("---\n"));
      await until(async () => {
        const events = await eventsOf(client, "refused");
        return events.some((e) =>
          e.type === "Warning" && e.reason === "ApplyManifestFailed" &&
          /document 2: ConfigMap default\/Not_Valid: .*Not_Valid/.test(e.message)
        );
      }, "an ApplyManifestFailed warning naming document 2 with the API's message");
      assert.ok(await find(client, CM, "default", "first"));
      assert.ok(await find(client, CM, "default", "third"));
      assert.equal((await addon(client, "refused"))?.spec?.checksum, undefined, "a failed apply records no checksum");

      const fixed = [configMap("first"), configMap("second"), configMap("third")].join("---\n");
      write("refused.yaml", fixed);
      await applied(client, "refused", fixed);
    }),
});

Deno.test({
  name: "manifests: sub-directories and JSON are read; .skip markers, dotfiles and other extensions are not",
  ...options,
  fn: () =>
    withManifests(async ({ client, write }) => {
      write("skipped.yaml.skip", "");
      write("skipped.yaml", configMap("skipped"));
      write(".hidden.yaml", configMap("hidden"));
      write("notes.txt", configMap("notes"));
      write("sub/deeper/deep.yaml", configMap("deep"));
      write("data.json", JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "json" } }));
      // Files are processed in path order, so once the last one is applied the pass has seen all the others.
      write("zz-last.yaml", configMap("last"));
      await applied(client, "zz-last", configMap("last"));
      assert.ok(await find(client, CM, "default", "deep"));
      assert.ok(await find(client, CM, "default", "json"));
      for (const name of ["skipped", "hidden", "notes"]) {
        assert.equal(await find(client, CM, "default", name), undefined, `${name} is not applied`);
      }
      assert.equal(await addon(client, "skipped"), undefined);
      assert.equal(await addon(client, "notes"), undefined);
    }),
});

Deno.test({
  name: "manifests: deleting a file leaves its objects and its Addon",
  ...options,
  fn: () =>
    withManifests(async ({ client, dir, write }) => {
      write("kept.yaml", configMap("kept"));
      await applied(client, "kept", configMap("kept"));
      rmSync(join(dir, "kept.yaml"));
      write("later.yaml", configMap("later"));
      await applied(client, "later", configMap("later"));
      assert.ok(await find(client, CM, "default", "kept"));
      assert.ok(await addon(client, "kept"));
    }),
});

Deno.test({
  name: "manifests: a HelmChart in a manifest is stored as a helm.cattle.io/v1 HelmChart",
  ...options,
  fn: () =>
    withManifests(async ({ client, write }) => {
      const chart = "apiVersion: helm.cattle.io/v1\nkind: HelmChart\nmetadata: {name: demo, namespace: kube-system}\n" +
        'spec: {chart: example, repo: "https://charts.example.invalid", targetNamespace: demo, set: {a: 1, b: x}}\n';
      write("chart.yaml", chart);
      await applied(client, "chart", chart);
      const stored = await find(client, { apiVersion: "helm.cattle.io/v1", kind: "HelmChart" }, "kube-system", "demo");
      assert.deepEqual(stored?.spec, {
        chart: "example",
        repo: "https://charts.example.invalid",
        targetNamespace: "demo",
        set: { a: 1, b: "x" },
      });
    }),
});

Deno.test({
  name: "manifests: a start re-applies every file, restoring drifted objects and leaving the others unwritten",
  ...options,
  fn: async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "addon-"));
    const dir = manifestsDir(dataDir);
    mkdirSync(dir, { recursive: true });
    // The untouched object comes first, so it was re-applied by the time the drifted one is restored.
    const content = configMap("untouched", undefined, { v: "1" }) + "---\n" +
      configMap("drifted", undefined, { v: "1" });
    writeFileSync(join(dir, "app.yaml"), content);
    let deps: Deps | undefined;
    try {
      await withCluster((d) => {
        deps = d;
        return [];
      }, async (client) => {
        await running(deps!, { dataDir, log: () => {} }, () => applied(client, "app", content).then(() => {}));
        await client.patch(CM, "default", "drifted", "merge", { data: { v: "edited by hand" } });
        const untouched = (await find(client, CM, "default", "untouched"))?.metadata?.resourceVersion;
        await running(deps!, { dataDir, log: () => {} }, async () => {
          await until(async () => (await find(client, CM, "default", "drifted"))?.data?.v === "1", "drift undone");
        });
        assert.equal((await find(client, CM, "default", "untouched"))?.metadata?.resourceVersion, untouched);
      });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});

Deno.test({
  name: "manifests: --disable uninstalls a component deployed before: its objects, its file and its Addon go",
  ...options,
  fn: async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "addon-"));
    const dir = manifestsDir(dataDir);
    mkdirSync(join(dir, "metrics-server"), { recursive: true });
    const traefik = configMap("traefik-config") + "---\n" +
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: traefik-role}\n";
    writeFileSync(join(dir, "traefik.yaml"), traefik);
    writeFileSync(join(dir, "metrics-server", "service.yaml"), configMap("metrics"));
    let deps: Deps | undefined;
    try {
      await withCluster((d) => {
        deps = d;
        return [];
      }, async (client) => {
        await running(deps!, { dataDir, log: () => {} }, async () => {
          await applied(client, "traefik", traefik);
          await applied(client, "service", configMap("metrics"));
        });
        await running(deps!, { dataDir, disabled: ["traefik", "metrics-server"], log: () => {} }, async () => {
          await until(
            async () => !(await addon(client, "traefik")) && !(await addon(client, "service")),
            "Addons gone",
          );
          assert.equal(await find(client, CM, "default", "traefik-config"), undefined);
          assert.equal(await find(client, CM, "default", "metrics"), undefined);
          const roles = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole" };
          assert.equal(await find(client, roles, undefined, "traefik-role"), undefined);
          assert.equal(existsSync(join(dir, "traefik.yaml")), false);
          assert.equal(existsSync(join(dir, "metrics-server", "service.yaml")), false);
          await until(
            async () => (await eventsOf(client, "traefik")).some((e) => e.reason === "DeletingManifest"),
            "a DeletingManifest event",
          );
        });
      });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});
