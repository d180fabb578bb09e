// The certificate operator on a real server: renewal inside the window (same key, new file, a new served
// certificate while an open connection keeps working, Events), and dynamic SANs (a new address, SNI name or
// IP Host header lands on the certificate and in the k3s-serving Secret, and survives a restart).
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { readFileSync, rmSync } from "node:fs";
import https from "node:https";
import { join } from "node:path";
import tls from "node:tls";
import { certificateController } from "../../../controllers/certificates/mod.ts";
import { ApiClient, type Client, inProcessTransport } from "../../../core/client/mod.ts";
import { certificateInfo, cnAnnotationKey, type TLSSecret } from "../../../core/pki/mod.ts";
import { type Server, startServer } from "../../../core/server/start.ts";
import { until } from "../../support/cluster.ts";
import { tempDir } from "../../core/pki/tools.ts";

const DAY_MS = 86_400_000;
const SECRET = { apiVersion: "v1", kind: "Secret" };

interface Running {
  server: Server;
  client: Client;
  dataDir: string;
  ca: string;
}

async function start(
  dataDir: string,
  clock: { now: Date },
  bindAddress = "127.0.0.1",
  nodeName?: string,
): Promise<Running> {
  const server = await startServer({
    dataDir,
    httpsPort: 0,
    bindAddress,
    kubeconfigPath: join(dataDir, "k3s.yaml"),
    tlsSans: ["k3s.example.com", "*.wild.example.com"],
    log: () => {},
    controllers: (deps) => [
      certificateController(deps, { dataDir, listener: deps.serving, nodeName, now: () => clock.now }),
    ],
  });
  const client = new ApiClient(inProcessTransport(server.router), server.registry);
  return { server, client, dataDir, ca: readFileSync(join(dataDir, "server/tls/server-ca.crt"), "utf8") };
}

async function servingSecret(client: Client): Promise<TLSSecret> {
  return await client.get(SECRET, "kube-system", "k3s-serving") as unknown as TLSSecret;
}

/** The certificate a fresh TLS connection to `host` is shown (verified against the server CA). */
function presented(
  port: number,
  ca: string,
  host: string,
  servername?: string,
): Promise<{ fingerprint: string; sans: string }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port, ca, servername }, () => {
      const peer = socket.getPeerCertificate();
      resolve({ fingerprint: peer.fingerprint256, sans: peer.subjectaltname ?? "" });
      socket.end();
    });
    socket.on("error", reject);
  });
}

function get(agent: https.Agent, port: number, ca: string, path: string) {
  return new Promise<{ status: number; reused: boolean; fingerprint: string }>((resolve, reject) => {
    const request = https.get({ host: "127.0.0.1", port, path, agent, ca }, (response) => {
      const fingerprint = (response.socket as tls.TLSSocket).getPeerCertificate().fingerprint256;
      response.resume();
      response.on("end", () => resolve({ status: response.statusCode!, reused: request.reusedSocket, fingerprint }));
    });
    request.on("error", reject);
  });
}

Deno.test("certificates: leaves inside the renewal window are renewed with their key and the served certificate swaps under open connections", async () => {
  const dataDir = tempDir("k3s-certs-");
  const clock = { now: new Date() };
  const running = await start(dataDir, clock);
  const { server, client, ca } = running;
  const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    await until(async () => Boolean(await servingSecret(client)), "the k3s-serving Secret");
    const tlsDir = join(dataDir, "server/tls");
    const adminBefore = readFileSync(join(tlsDir, "client-admin.crt"), "utf8");
    const keyBefore = readFileSync(join(tlsDir, "client-admin.key"), "utf8");
    const servingBefore = readFileSync(join(tlsDir, "serving-kube-apiserver.crt"), "utf8");
    const first = await get(agent, server.port, ca, "/ping");
    assert.equal(first.status, 200);

    // 300 days on, every one-year leaf is inside the window; a change to the Secret runs the reconcile.
    clock.now = new Date(Date.now() + 300 * DAY_MS);
    await client.patch(SECRET, "kube-system", "k3s-serving", "merge", { metadata: { labels: { nudge: "1" } } });
    await until(
      () => Promise.resolve(readFileSync(join(tlsDir, "client-admin.crt"), "utf8") !== adminBefore),
      "client-admin.crt renewed",
    );
    await until(
      async () => (await presented(server.port, ca, "127.0.0.1")).fingerprint !== first.fingerprint,
      "a new served certificate",
    );

    await until(
      () => Promise.resolve(readFileSync(join(tlsDir, "serving-kube-apiserver.crt"), "utf8") !== servingBefore),
      "serving-kube-apiserver.crt renewed",
    );
    const apiServing = certificateInfo(readFileSync(join(tlsDir, "serving-kube-apiserver.crt"), "utf8"));
    assert.ok(apiServing.dnsNames.includes("k3s.example.com"), "--tls-san names stay on the API server's certificate");
    const renewed = certificateInfo(readFileSync(join(tlsDir, "client-admin.crt"), "utf8"));
    assert.ok(renewed.notAfter.getTime() > clock.now.getTime() + 300 * DAY_MS, "valid a year from the clock");
    assert.equal(renewed.commonName, "system:admin");
    assert.deepEqual(renewed.organizations, ["system:masters"]);
    assert.equal(readFileSync(join(tlsDir, "client-admin.key"), "utf8"), keyBefore, "the key is kept");

    // The connection opened before the swap still answers, with the certificate it was shown then.
    const again = await get(agent, server.port, ca, "/ping");
    assert.equal(again.status, 200);
    assert.equal(again.reused, true);
    assert.equal(again.fingerprint, first.fingerprint);

    await until(async () => {
      const events = await client.list<{ reason: string; type: string; involvedObject: { name: string } }>(
        { apiVersion: "v1", kind: "Event" },
        "kube-system",
      );
      const on = events.items.filter((e) => e.involvedObject.name === "k3s-serving");
      return on.some((e) => e.type === "Warning" && e.reason === "CertificateExpirationWarning") &&
        on.some((e) => e.type === "Normal" && e.reason === "CertificateRenewed");
    }, "expiry warning and renewal events on the k3s-serving Secret");
  } finally {
    agent.destroy();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

Deno.test("certificates: addresses, SNI names and IP Host headers clients use join the certificate and the k3s-serving Secret", async () => {
  const dataDir = tempDir("k3s-certs-");
  const clock = { now: new Date() };
  let running = await start(dataDir, clock, "0.0.0.0");
  try {
    const { server, client, ca } = running;
    // The first handshake on a new address already gets a certificate for it.
    const byOtherAddress = await presented(server.port, ca, "127.0.0.2");
    assert.match(byOtherAddress.sans, /IP Address:127\.0\.0\.2/);
    const bySNI = await presented(server.port, ca, "127.0.0.1", "api.k3s.test");
    assert.match(bySNI.sans, /DNS:api\.k3s\.test/);
    assert.match(bySNI.sans, /DNS:\*\.wild\.example\.com/, "configured wildcards are on it");

    // An IP Host header counts from kubectl-like clients, not from browsers.
    const withHost = (host: string, userAgent: string) =>
      new Promise<void>((resolve, reject) => {
        https.get({
          host: "127.0.0.1",
          port: server.port,
          path: "/ping",
          ca,
          headers: { host, "user-agent": userAgent },
        }, (r) => {
          r.resume();
          r.on("end", resolve);
        }).on("error", reject);
      });
    await withHost("10.11.12.13:6443", "kubectl/v1.32.4");
    await withHost("10.99.99.99", "Mozilla/5.0");

    await until(async () => {
      const annotations = (await servingSecret(client)).metadata.annotations ?? {};
      return annotations[cnAnnotationKey("127.0.0.2")] === "127.0.0.2" &&
        annotations[cnAnnotationKey("api.k3s.test")] === "api.k3s.test" &&
        annotations[cnAnnotationKey("10.11.12.13")] === "10.11.12.13";
    }, "the new names in the k3s-serving Secret");
    const secret = await servingSecret(client);
    assert.equal((secret as { type?: string }).type, "kubernetes.io/tls");
    assert.match(secret.metadata.annotations!["listener.cattle.io/fingerprint"], /^SHA1=[0-9A-F]{40}$/);
    assert.equal(secret.metadata.annotations![cnAnnotationKey("10.99.99.99")], undefined);
    const cached = JSON.parse(readFileSync(join(dataDir, "server/tls/dynamic-cert.json"), "utf8"));
    assert.equal(cached.metadata.annotations[cnAnnotationKey("127.0.0.2")], "127.0.0.2");

    // Restarted without the local cache, the server takes the names back from the Secret.
    await server.stop();
    rmSync(join(dataDir, "server/tls/dynamic-cert.json"));
    running = await start(dataDir, clock, "0.0.0.0");
    await until(
      async () => (await presented(running.server.port, running.ca, "127.0.0.1")).sans.includes("10.11.12.13"),
      "names restored from the k3s-serving Secret",
    );
    const restored = Buffer.from(
      (await servingSecret(running.client) as { data: Record<string, string> }).data["tls.crt"],
      "base64",
    ).toString();
    assert.ok(certificateInfo(restored).ipAddresses.includes("127.0.0.2"));
  } finally {
    await running.server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

Deno.test("certificates: with the server's Node registered, the expiry warning is recorded on the Node", async () => {
  const dataDir = tempDir("k3s-certs-");
  const clock = { now: new Date() };
  const { server, client } = await start(dataDir, clock, "127.0.0.1", "server-node");
  try {
    await until(async () => Boolean(await servingSecret(client)), "the k3s-serving Secret");
    clock.now = new Date(Date.now() + 300 * DAY_MS);
    // The Node's arrival is a change the controller watches, so it reconciles.
    await client.create({ apiVersion: "v1", kind: "Node", metadata: { name: "server-node" } });
    await until(async () => {
      const events = await client.list<{ reason: string; involvedObject: { kind: string; name: string } }>(
        { apiVersion: "v1", kind: "Event" },
        "default",
      );
      return events.items.some((e) =>
        e.reason === "CertificateExpirationWarning" && e.involvedObject.kind === "Node" &&
        e.involvedObject.name === "server-node"
      );
    }, "CertificateExpirationWarning on the Node");
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
