import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { TLSSocket } from "node:tls";
import { ensureServerCertificates, type ServerCertificates } from "../../../core/pki/mod.ts";
import { run, tempDir } from "./tools.ts";

/** An HTTPS server like the API server's front door: optional client certificates, checked by the handler. */
async function whoAmIServer(pki: ServerCertificates): Promise<{ server: Server; port: number }> {
  const server = createServer({
    cert: pki.serving.certPem,
    key: pki.serving.keyPem,
    ca: pki.clientCA.certPem,
    requestCert: true,
    rejectUnauthorized: false,
  }, (req, res) => {
    const socket = req.socket as TLSSocket;
    const peer = socket.getPeerCertificate();
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ authorized: socket.authorized, subject: peer?.subject ?? null }));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { server, port: (server.address() as AddressInfo).port };
}

Deno.test("pki https: curl trusts the serving certificate and the server authenticates system:admin", async () => {
  const dataDir = tempDir();
  const pki = await ensureServerCertificates({ dataDir, tlsSans: ["k3s.example.com"] });
  const dir = join(dataDir, "server", "tls");
  const { server, port } = await whoAmIServer(pki);
  try {
    const curl = (url: string, ...extra: string[]) =>
      run("curl", ["-sS", "--fail", "--cacert", join(dir, "server-ca.crt"), ...extra, url]);
    const admin = ["--cert", join(dir, "client-admin.crt"), "--key", join(dir, "client-admin.key")];

    const byIP = await curl(`https://127.0.0.1:${port}/`, ...admin);
    assert.equal(byIP.code, 0, byIP.stderr);
    const seen = JSON.parse(byIP.stdout);
    assert.equal(seen.authorized, true);
    assert.equal(seen.subject.CN, "system:admin");
    assert.equal(seen.subject.O, "system:masters");

    // The names clients use are all on the certificate: localhost and a --tls-san.
    for (const host of ["localhost", "k3s.example.com", "kubernetes.default.svc"]) {
      const byName = await curl(`https://${host}:${port}/`, "--resolve", `${host}:${port}:127.0.0.1`, ...admin);
      assert.equal(byName.code, 0, `${host}: ${byName.stderr}`);
    }

    // Without a client certificate the TLS handshake still succeeds, but the caller is anonymous.
    const anonymous = JSON.parse((await curl(`https://127.0.0.1:${port}/`)).stdout);
    assert.equal(anonymous.authorized, false);

    // A name that is not on the certificate is refused by curl's hostname check.
    const stranger = await curl(`https://other.example:${port}/`, "--resolve", `other.example:${port}:127.0.0.1`);
    assert.notEqual(stranger.code, 0);
    assert.match(stranger.stderr, /no alternative certificate subject name matches|SSL/);
  } finally {
    server.close();
    await once(server, "close");
  }
});
