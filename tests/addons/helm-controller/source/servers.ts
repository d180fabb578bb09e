// Small chart servers on loopback for the source tests: plain HTTP, or HTTPS with a throwaway CA-less self-signed
// certificate made by the system's openssl.
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** A running server: its base URL; close it when done. */
export interface TestServer {
  url: string;
  requests: { path: string; authorization?: string }[];
  close(): Promise<void>;
}

async function listen(server: http.Server, scheme: string, requests: TestServer["requests"]): Promise<TestServer> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function recording(handler: Handler, requests: TestServer["requests"]): Handler {
  return (req, res) => {
    requests.push({ path: req.url ?? "", authorization: req.headers.authorization });
    handler(req, res);
  };
}

/** Serves `handler` over plain HTTP. */
export async function serveHttp(handler: Handler): Promise<TestServer> {
  const requests: TestServer["requests"] = [];
  return await listen(http.createServer(recording(handler, requests)), "http", requests);
}

/** A self-signed certificate for 127.0.0.1. */
export async function selfSignedCertificate(): Promise<{ cert: string; key: string }> {
  const dir = await Deno.makeTempDir();
  try {
    const { code, stderr } = await new Deno.Command("openssl", {
      args: [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=charts",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        `${dir}/key.pem`,
        "-out",
        `${dir}/cert.pem`,
      ],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (code !== 0) throw new Error(new TextDecoder().decode(stderr));
    return { cert: await Deno.readTextFile(`${dir}/cert.pem`), key: await Deno.readTextFile(`${dir}/key.pem`) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Serves `handler` over HTTPS with `certificate`. */
export async function serveHttps(handler: Handler, certificate: { cert: string; key: string }): Promise<TestServer> {
  const requests: TestServer["requests"] = [];
  return await listen(https.createServer(certificate, recording(handler, requests)), "https", requests);
}

/** A chart repository: `index.yaml` listing `charts` (name → version → archive) with relative URLs. */
export function repository(
  charts: Record<string, Record<string, Uint8Array>>,
  options: { auth?: string } = {},
): Handler {
  const entries = Object.entries(charts).map(([name, versions]) =>
    `  ${name}:\n` +
    Object.keys(versions).map((v) => `  - {name: ${name}, version: "${v}", urls: [${name}-${v}.tgz]}\n`).join("")
  ).join("");
  const index = `apiVersion: v1\nentries:\n${entries}`;
  return (req, res) => {
    if (options.auth && req.headers.authorization !== `Basic ${btoa(options.auth)}`) {
      res.writeHead(401, "Unauthorized").end();
      return;
    }
    if (req.url === "/index.yaml") {
      res.writeHead(200, { "content-type": "text/yaml" }).end(index);
      return;
    }
    for (const [name, versions] of Object.entries(charts)) {
      for (const [version, archive] of Object.entries(versions)) {
        if (req.url === `/${name}-${version}.tgz`) {
          res.writeHead(200, { "content-type": "application/gzip" }).end(archive);
          return;
        }
      }
    }
    res.writeHead(404, "Not Found").end();
  };
}
