/**
 * One probe attempt, as the kubelet's `pkg/probe/{exec,http,tcp,grpc}` make it: exec through the runtime, an HTTP GET
 * (2xx/3xx succeed), a TCP connect, or a gRPC health check.
 *
 * @module
 */
import * as grpc from "@grpc/grpc-js";
import { Buffer } from "node:buffer";
import { connect } from "node:net";
import type { CriClient } from "../cri/mod.ts";
import type { Container, Handler, Probe } from "../kubelet/pod.ts";

/** Where a probe runs. */
export interface ProbeTarget {
  runtime: CriClient;
  containerId: string;
  /** The pod's IP (the node's for host-network pods). */
  podIP: string;
  /** Host-network pods are probed on the node's IP. */
  hostNetwork?: boolean;
  nodeIP?: string;
  container?: Container;
}

/** One attempt's outcome; `message` says why it failed. */
export interface ProbeResult {
  result: "success" | "failure" | "unknown";
  message?: string;
}

/** The User-Agent of HTTP probes. */
export const PROBE_USER_AGENT = "kube-probe/1.32";

/**
 * A named or numbered container port as a number.
 *
 * @example
 * ```ts
 * resolvePort("http", { name: "c", ports: [{ name: "http", containerPort: 8080 }] }); // 8080
 * ```
 */
export function resolvePort(port: number | string, container?: Container): number {
  if (typeof port === "number") return port;
  if (/^\d+$/.test(port)) return Number(port);
  const found = container?.ports?.find((p) => p.name === port);
  if (!found) throw new Error(`couldn't find port: ${port} in ${container?.name ?? "container"}`);
  return found.containerPort;
}

/**
 * Run `probe` once.
 *
 * @example
 * ```ts
 * const { result } = await runProbe({ exec: { command: ["true"] } }, { runtime, containerId, podIP });
 * ```
 */
export async function runProbe(probe: Probe, target: ProbeTarget, signal?: AbortSignal): Promise<ProbeResult> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  try {
    return await runHandlerOnce(probe, target, timeoutMs, signal);
  } catch (error) {
    return { result: "failure", message: (error as Error).message };
  }
}

async function runHandlerOnce(
  handler: Handler,
  target: ProbeTarget,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  if (handler.exec) {
    const answer = await target.runtime.execSync(target.containerId, handler.exec.command ?? [], timeoutMs / 1000);
    if (answer.exit_code === 0) return { result: "success" };
    const output = new TextDecoder().decode(answer.stdout) + new TextDecoder().decode(answer.stderr);
    return {
      result: "failure",
      message: output.trim() || `command ${JSON.stringify(handler.exec.command)} exited with ${answer.exit_code}`,
    };
  }
  if (handler.httpGet) return await httpProbe(handler.httpGet, target, timeoutMs, signal);
  if (handler.tcpSocket) {
    const port = resolvePort(handler.tcpSocket.port, target.container);
    return await tcpProbe(handler.tcpSocket.host || defaultHost(target), port, timeoutMs);
  }
  if (handler.grpc) {
    return await grpcProbe(defaultHost(target), handler.grpc.port, handler.grpc.service ?? "", timeoutMs);
  }
  return { result: "unknown", message: "probe has no handler" };
}

function defaultHost(target: ProbeTarget): string {
  return (target.hostNetwork && target.nodeIP) || target.podIP;
}

async function httpProbe(
  get: NonNullable<Handler["httpGet"]>,
  target: ProbeTarget,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  const port = resolvePort(get.port, target.container);
  const scheme = (get.scheme ?? "HTTP").toLowerCase();
  const host = get.host || defaultHost(target);
  const path = get.path ? (get.path.startsWith("/") ? get.path : `/${get.path}`) : "/";
  const url = `${scheme}://${host.includes(":") ? `[${host}]` : host}:${port}${path}`;
  const headers = new Headers({ "user-agent": PROBE_USER_AGENT, accept: "*/*" });
  for (const h of get.httpHeaders ?? []) headers.set(h.name, h.value);
  const timeout = AbortSignal.timeout(timeoutMs);
  const response = await fetch(url, {
    headers,
    signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    redirect: "follow",
  }).catch((error) => {
    const cause = (error as { cause?: Error }).cause?.message ?? (error as Error).message;
    throw new Error(`Get "${url}": ${timeout.aborted ? "context deadline exceeded" : cause}`);
  });
  await response.body?.cancel().catch(() => {});
  if (response.status >= 200 && response.status < 400) return { result: "success" };
  return { result: "failure", message: `HTTP probe failed with statuscode: ${response.status}` };
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ result: "failure", message: `dial tcp ${host}:${port}: i/o timeout` });
    }, timeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ result: "success" });
    });
    socket.once("error", (error) => {
      clearTimeout(timer);
      resolve({ result: "failure", message: `dial tcp ${host}:${port}: ${error.message}` });
    });
  });
}

/** `grpc.health.v1.HealthCheckRequest { string service = 1; }`, encoded by hand: one field. */
function encodeHealthRequest(service: string): Uint8Array {
  const bytes = new TextEncoder().encode(service);
  return bytes.length === 0 ? new Uint8Array() : new Uint8Array([0x0a, bytes.length, ...bytes]);
}

/** `HealthCheckResponse { ServingStatus status = 1; }`: SERVING is 1. */
function decodeHealthStatus(bytes: Uint8Array): number {
  return bytes.length >= 2 && bytes[0] === 0x08 ? bytes[1] : 0;
}

const SERVING_STATUS = ["UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"];

/**
 * The kubelet's words for a failed health call (`pkg/probe/grpc`): the kubelet dials first and blocks, so a server it
 * cannot reach is a connect timeout; a server without the health service, and a call running out of time, have their
 * own messages; anything else is the RPC error as Go prints it.
 */
function grpcFailure(error: grpc.ServiceError, address: string, timeoutMs: number): string {
  const seconds = `${timeoutMs / 1000}s`;
  const rpcError = `rpc error: code = ${goCodeName(error.code)} desc = ${error.details}`;
  switch (error.code) {
    case grpc.status.UNAVAILABLE:
      return `timeout: failed to connect service "${address}" within ${seconds}: ${error.details}`;
    case grpc.status.UNIMPLEMENTED:
      return `timeout: this server doesn't implement the grpc health protocol (grpc.health.v1.Health): ${rpcError}`;
    case grpc.status.DEADLINE_EXCEEDED:
      return `timeout: health rpc did not complete within ${seconds}`;
    default:
      return `error: health rpc probe failed: ${rpcError}`;
  }
}

/** grpc-go's name of a status code: `NOT_FOUND` is `NotFound`. */
function goCodeName(code: grpc.status): string {
  return (grpc.status[code] ?? "Unknown").toLowerCase().replace(
    /(^|_)([a-z])/g,
    (_, _sep, c: string) => c.toUpperCase(),
  );
}

function grpcProbe(host: string, port: number, service: string, timeoutMs: number): Promise<ProbeResult> {
  const client = new grpc.Client(`${host}:${port}`, grpc.credentials.createInsecure());
  return new Promise<ProbeResult>((resolve) => {
    client.makeUnaryRequest(
      "/grpc.health.v1.Health/Check",
      (request: string) => Buffer.from(encodeHealthRequest(request)),
      (response: Buffer) => decodeHealthStatus(response),
      service,
      { deadline: Date.now() + timeoutMs },
      (error, status) => {
        if (error) resolve({ result: "failure", message: grpcFailure(error, `${host}:${port}`, timeoutMs) });
        else if (status === 1) resolve({ result: "success" });
        else {resolve({
            result: "failure",
            message: `service unhealthy (responded with "${SERVING_STATUS[status ?? 0]}")`,
          });}
      },
    );
  }).finally(() => client.close());
}

/**
 * Run a lifecycle hook (`postStart`/`preStop`): exec, httpGet or sleep; throws with the kubelet's message on failure.
 *
 * @example
 * ```ts
 * await runHandler({ exec: { command: ["sh", "-c", "nginx -s quit"] } }, target, AbortSignal.timeout(30_000));
 * ```
 */
export async function runHandler(handler: Handler, target: ProbeTarget, signal?: AbortSignal): Promise<void> {
  if (handler.sleep) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, handler.sleep!.seconds * 1000);
      signal?.addEventListener("abort", () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
    return;
  }
  // Hooks get no timeout of their own: the grace period bounds them.
  const outcome = await runHandlerOnce(handler, target, 2 ** 31 - 1, signal);
  if (outcome.result !== "success") throw new Error(outcome.message ?? "hook failed");
}
