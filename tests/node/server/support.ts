// A kubelet server on a free port with certificates from a CA made for the test, and an HTTPS client for it.
import { Buffer } from "node:buffer";
import https from "node:https";
import type { IncomingMessage } from "node:http";
import { text } from "node:stream/consumers";
import {
  createCertificateAuthority,
  issueCertificate,
  issueClientCertificate,
  type IssuedCertificate,
} from "../../../core/pki/certs.ts";
import type { ContainerConfig, CriClient } from "../../../node/cri/mod.ts";
import { sandboxConfig } from "../containerd/testenv.ts";
// @ts-types="@types/ws"
import WebSocket from "ws";
import {
  type KubeletRequestAttributes,
  type KubeletServerOptions,
  type KubeletUser,
  startKubeletServer,
} from "../../../node/server/mod.ts";

/** A running test server and what a client needs to reach it. */
export interface TestKubelet {
  port: number;
  serverCA: string;
  /** A client certificate the server accepts, for user `alice` in group `ops`. */
  client: IssuedCertificate;
  /** Every authorization the server asked for. */
  asked: { user: KubeletUser; attributes: KubeletRequestAttributes }[];
}

/** Run `fn` against a kubelet server over `runtime`; `allow` decides authorization. */
export async function withKubeletServer(
  runtime: CriClient,
  fn: (kubelet: TestKubelet) => Promise<void>,
  allow: (user: KubeletUser) => boolean = () => true,
  extra: Partial<KubeletServerOptions> = {},
): Promise<void> {
  const serverCA = await createCertificateAuthority("k3s-server-ca@1");
  const clientCA = await createCertificateAuthority("k3s-client-ca@1");
  const serving = await issueCertificate(serverCA, {
    commonName: "node-1",
    usages: ["serverAuth"],
    sans: { dns: ["localhost"], ips: ["127.0.0.1"] },
  });
  const client = await issueClientCertificate(clientCA, { commonName: "alice", organizations: ["ops"] });
  const asked: TestKubelet["asked"] = [];
  const abort = new AbortController();
  const server = await startKubeletServer({
    runtime,
    nodeName: "node-1",
    bindAddress: "127.0.0.1",
    port: 0,
    tls: { cert: serving.certPem, key: serving.keyPem, clientCA: clientCA.certPem },
    authorize: (user, attributes) => {
      asked.push({ user, attributes });
      return Promise.resolve(allow(user));
    },
    podLogsDir: "/var/log/pods",
    signal: abort.signal,
    log: () => {},
    ...extra,
  });
  try {
    await fn({ port: server.port, serverCA: serverCA.certPem, client, asked });
  } finally {
    abort.abort();
    await server.close();
  }
}

/** GET `path` from the test server, with the client certificate unless `anonymous`; returns status and body. */
export function get(
  kubelet: TestKubelet,
  path: string,
  anonymous = false,
): Promise<{ status: number; body: string; response: IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const request = https.get({
      host: "127.0.0.1",
      port: kubelet.port,
      path,
      ca: kubelet.serverCA,
      servername: "localhost",
      agent: false,
      ...(anonymous ? {} : { cert: kubelet.client.certPem, key: kubelet.client.keyPem }),
    }, async (response) => {
      resolve({ status: response.statusCode ?? 0, body: await text(response), response });
    });
    request.on("error", reject);
  });
}

/**
 * Start a host-network busybox pod `default/<name>` with one container `main`, labelled as the kubelet labels them;
 * returns the container id.
 */
export async function runLabelledPod(
  cri: CriClient,
  dataDir: string,
  name: string,
  command: string[],
): Promise<string> {
  const sandbox = sandboxConfig(dataDir, name);
  const pod = {
    "io.kubernetes.pod.name": name,
    "io.kubernetes.pod.namespace": "default",
    "io.kubernetes.pod.uid": sandbox.metadata.uid,
  };
  sandbox.labels = pod;
  const sandboxId = await cri.runPodSandbox(sandbox);
  const container: ContainerConfig = {
    metadata: { name: "main", attempt: 0 },
    image: { image: "docker.io/library/busybox:1.36" },
    command,
    log_path: "main/0.log",
    labels: { ...pod, "io.kubernetes.container.name": "main" },
    annotations: { "io.kubernetes.container.restartCount": "0" },
  };
  const id = await cri.createContainer(sandboxId, container, sandbox);
  await cri.startContainer(id);
  return id;
}

/** The exec query kubectl sends for `command` with stdin, stdout and stderr. */
export function execQuery(command: string[]): URLSearchParams {
  const query = new URLSearchParams(command.map((c) => ["command", c]));
  for (const stream of ["stdin", "stdout", "stderr"]) query.set(stream, "true");
  return query;
}

/**
 * kubectl's WebSocket v5 exec at `url`: `stdin` is sent and then closed with [255, 0]; resolves with the protocol and
 * what each channel carried, or rejects with a refusal's status and body.
 */
export function webSocketExec(
  url: string,
  stdin: string,
  tls: { ca: string; cert: string; key: string } | undefined = undefined,
): Promise<{ protocol: string; channels: Record<number, string> }> {
  const ws = new WebSocket(url, ["v5.channel.k8s.io"], tls ?? {});
  const channels: Record<number, string> = { 1: "", 2: "", 3: "" };
  return new Promise((resolve, reject) => {
    ws.on("open", () => {
      ws.send(Buffer.concat([Buffer.from([0]), Buffer.from(stdin)]));
      ws.send(Buffer.from([255, 0]));
    });
    ws.on("message", (data: Buffer) => channels[data[0]] += data.subarray(1).toString());
    ws.on("close", () => resolve({ protocol: ws.protocol, channels }));
    ws.on("unexpected-response", (_request, response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => body += chunk);
      response.on("end", () => reject(new Error(`${response.statusCode} ${body}`)));
    });
    ws.on("error", reject);
  });
}
