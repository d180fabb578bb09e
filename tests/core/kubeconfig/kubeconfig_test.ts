import assert from "node:assert/strict";
import { once } from "node:events";
import { mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { homedir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import type { TLSSocket } from "node:tls";
import { parse } from "yaml";
import {
  defaultKubeconfigPath,
  parseFileMode,
  renderKubeconfig,
  writeKubeconfig,
} from "../../../core/kubeconfig/mod.ts";
import { ensureServerCertificates } from "../../../core/pki/mod.ts";
import { run, tempDir } from "../pki/tools.ts";

Deno.test("kubeconfig: rendered exactly like K3s's k3s.yaml", () => {
  const text = renderKubeconfig({
    server: "https://127.0.0.1:6443",
    caPem: "CA\n",
    certPem: "CERT\n",
    keyPem: "KEY\n",
  });
  assert.equal(
    text,
    `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: Q0EK
    server: https://127.0.0.1:6443
  name: default
contexts:
- context:
    cluster: default
    user: default
  name: default
current-context: default
kind: Config
preferences: {}
users:
- name: default
  user:
    client-certificate-data: Q0VSVAo=
    client-key-data: S0VZCg==
`,
  );
  const named = parse(renderKubeconfig({ server: "https://x:6443", caPem: "", certPem: "", keyPem: "", name: "edge" }));
  assert.equal(named["current-context"], "edge");
  assert.deepEqual(named.contexts[0], { context: { cluster: "edge", user: "edge" }, name: "edge" });
});

Deno.test("kubeconfig: long certificate data stays on one line and decodes to the PEM files", async () => {
  const pki = await ensureServerCertificates({ dataDir: tempDir() });
  const text = renderKubeconfig({
    server: "https://127.0.0.1:6443",
    caPem: pki.serverCA.certPem,
    certPem: pki.admin.certPem,
    keyPem: pki.admin.keyPem,
  });
  assert.equal(text.split("\n").length, 20);
  const config = parse(text);
  const decode = (b64: string) => atob(b64);
  assert.equal(decode(config.clusters[0].cluster["certificate-authority-data"]), pki.serverCA.certPem);
  assert.equal(decode(config.users[0].user["client-certificate-data"]), pki.admin.certPem);
  assert.equal(decode(config.users[0].user["client-key-data"]), pki.admin.keyPem);
});

Deno.test("kubeconfig: written atomically into new directories with the requested mode", async () => {
  const dir = tempDir("k3s-kubeconfig-");
  const path = join(dir, "etc", "rancher", "k3s", "k3s.yaml");
  await writeKubeconfig(path, "first\n");
  assert.equal(readFileSync(path, "utf8"), "first\n");
  assert.equal(statSync(path).mode & 0o777, 0o600);
  await writeKubeconfig(path, "second\n", "0644");
  assert.equal(readFileSync(path, "utf8"), "second\n");
  assert.equal(statSync(path).mode & 0o777, 0o644);
  // The mode is applied exactly, whatever the umask would have allowed.
  await writeKubeconfig(path, "third\n", 0o666);
  assert.equal(statSync(path).mode & 0o777, 0o666);
  await writeKubeconfig(path, "fourth\n", "640");
  assert.equal(statSync(path).mode & 0o777, 0o640);
  assert.deepEqual(readdirSync(join(dir, "etc", "rancher", "k3s")), ["k3s.yaml"]);
  await assert.rejects(writeKubeconfig(path, "x", "rw-r--r--"), /invalid file mode "rw-r--r--"/);
  assert.equal(readFileSync(path, "utf8"), "fourth\n");
});

Deno.test("kubeconfig: modes parse as K3s parses --write-kubeconfig-mode", () => {
  assert.equal(parseFileMode("0644"), 0o644);
  assert.equal(parseFileMode("600"), 0o600);
  assert.equal(parseFileMode(0o640), 0o640);
  for (const bad of ["", "0x1a4", "999", "-1", "12345", 1e6, -1, 1.5]) {
    assert.throws(() => parseFileMode(bad), /invalid file mode/);
  }
});

Deno.test("kubeconfig: default path is /etc/rancher/k3s/k3s.yaml for root, ~/.kube/k3s.yaml otherwise", () => {
  const expected = process.getuid?.() === 0 ? "/etc/rancher/k3s/k3s.yaml" : join(homedir(), ".kube", "k3s.yaml");
  assert.equal(defaultKubeconfigPath(), expected);
});

/** Serve `/version` with the data dir's certificates, run the real kubectl with a rendered k3s.yaml, and check both sides. */
async function kubectlAgainst(dataDir: string): Promise<void> {
  const pki = await ensureServerCertificates({ dataDir });
  const requests: string[] = [];
  const server = createServer({
    cert: pki.serving.certPem,
    key: pki.serving.keyPem,
    ca: pki.clientCA.certPem,
    requestCert: true,
    rejectUnauthorized: false,
  }, (req, res) => {
    const socket = req.socket as TLSSocket;
    const user = socket.authorized ? socket.getPeerCertificate().subject : undefined;
    const path = new URL(req.url!, "https://x").pathname;
    requests.push(`${req.method} ${path} ${user?.CN}/${user?.O}`);
    res.setHeader("content-type", "application/json");
    const status = (code: number, reason: string) => {
      res.statusCode = code;
      res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", reason, code }));
    };
    if (user?.CN !== "system:admin" || user?.O !== "system:masters") status(401, "Unauthorized");
    else if (path === "/version") res.end(JSON.stringify({ major: "1", minor: "32", gitVersion: "v1.32.4" }));
    else status(404, "NotFound");
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  try {
    const path = join(dataDir, "k3s.yaml");
    const port = (server.address() as AddressInfo).port;
    await writeKubeconfig(
      path,
      renderKubeconfig({
        server: `https://127.0.0.1:${port}`,
        caPem: pki.serverCA.certPem,
        certPem: pki.admin.certPem,
        keyPem: pki.admin.keyPem,
      }),
    );
    const env = { HOME: tempDir("k3s-kubectl-home-") };
    const version = await run("kubectl", ["--kubeconfig", path, "get", "--raw", "/version"], { env });
    assert.equal(version.code, 0, version.stderr);
    assert.deepEqual(JSON.parse(version.stdout), { major: "1", minor: "32", gitVersion: "v1.32.4" });
    // The dispatcher's own probe (`/version?timeout=5s`) and kubectl's request, both as the admin.
    assert.ok(requests.length > 0, "no request reached the server");
    for (const request of requests) assert.equal(request, "GET /version system:admin/system:masters");

    const context = await run("kubectl", ["--kubeconfig", path, "config", "current-context"], { env });
    assert.equal(context.stdout.trim(), "default", context.stderr);
  } finally {
    server.close();
    await once(server, "close");
  }
}

Deno.test("kubeconfig: the real kubectl uses it to reach an API server as system:admin", async () => {
  await kubectlAgainst(tempDir());
});

Deno.test("kubeconfig: kubectl also accepts certificates issued by CAs made with openssl", async () => {
  // OpenSSL writes names as UTF8String where we would write PrintableString; Go matches an issuer
  // to its CA by exact bytes, so this fails if leaves re-encode the CA's name.
  const dataDir = tempDir();
  const dir = join(dataDir, "server", "tls");
  mkdirSync(dir, { recursive: true });
  for (const ca of ["server-ca", "client-ca"]) {
    const key = join(dir, `${ca}.key`);
    assert.equal((await run("openssl", ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key])).code, 0);
    const made = await run("openssl", [
      "req",
      "-x509",
      "-new",
      "-key",
      key,
      "-subj",
      `/O=Example Corp/CN=${ca}`,
      "-days",
      "30",
      "-out",
      join(dir, `${ca}.crt`),
    ]);
    assert.equal(made.code, 0, made.stderr);
  }
  await kubectlAgainst(dataDir);
});
