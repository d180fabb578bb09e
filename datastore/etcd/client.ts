/**
 * A small etcd v3 gRPC client: one channel per endpoint, unary calls with deadlines, and gRPC failures
 * turned into the Store's error classes.
 *
 * @module
 */

import * as grpc from "@grpc/grpc-js";
import { StoreError, UnavailableError } from "../store.ts";
import {
  etcdServices,
  type PbLeaseGrantResponse,
  type PbLeaseTimeToLiveResponse,
  type PbRangeRequest,
  type PbRangeResponse,
  type PbStatusResponse,
  type PbTxnRequest,
  type PbTxnResponse,
  type PbWatchRequest,
  type PbWatchResponse,
} from "./proto.ts";
import { type EtcdTls, tlsCredentials } from "./tls.ts";

/** etcd said a revision is compacted or in the future; the store adds the numbers the errors carry. */
export class EtcdRevisionError extends Error {
  override name = "EtcdRevisionError";
  constructor(readonly kind: "compacted" | "future", message: string) {
    super(message);
  }
}

/** A bidirectional Watch stream. */
export type WatchStream = grpc.ClientDuplexStream<PbWatchRequest, PbWatchResponse>;

/** How long one unary call may take; etcd itself gives up on a proposal after about 7 s. */
const CALL_TIMEOUT_MS = 15_000;

const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  // etcd answers a large list in one message; its own client lifts the limit the same way.
  "grpc.max_receive_message_length": -1,
  // Reconnect quickly after an etcd restart instead of grpc's default back-off of up to two minutes.
  "grpc.initial_reconnect_backoff_ms": 200,
  "grpc.max_reconnect_backoff_ms": 2_000,
  // Notice a dead peer under a quiet watch; etcd allows pings every 5 s while a stream is open.
  "grpc.keepalive_time_ms": 30_000,
  "grpc.keepalive_timeout_ms": 10_000,
  "grpc.enable_http_proxy": 0,
};

type Callback<T> = (error: grpc.ServiceError | null, response: T) => void;
type UnaryMethod = (request: unknown, options: grpc.CallOptions, callback: Callback<unknown>) => void;

interface Connection {
  endpoint: string;
  channel: grpc.Channel;
  kv: grpc.Client;
  watch: grpc.Client;
  lease: grpc.Client;
  maintenance: grpc.Client;
}

/**
 * Codes that mean "this member cannot serve right now", which a retry (maybe elsewhere) can fix. INTERNAL
 * is among them because grpc reports a connection cut mid-call that way ("Received RST_STREAM …").
 */
const TRANSIENT = new Set([
  grpc.status.UNAVAILABLE,
  grpc.status.DEADLINE_EXCEEDED,
  grpc.status.RESOURCE_EXHAUSTED,
  grpc.status.INTERNAL,
]);

/**
 * The connection to an etcd cluster. Calls go to one endpoint at a time; when it stops answering the
 * client moves on to the next one, so a caller's retry reaches another member.
 */
export class EtcdClient {
  #endpoints: string[];
  #credentials: grpc.ChannelCredentials[];
  #connections: (Connection | undefined)[];
  #active = 0;
  #closed = false;

  /**
   * Set up channels for `endpoints` (nothing connects until the first call or {@linkcode EtcdClient.ready}).
   *
   * @example
   * ```ts
   * const client = new EtcdClient(["http://127.0.0.1:2379"]);
   * await client.ready(Date.now() + 3000);
   * ```
   */
  constructor(endpoints: string[], tls?: EtcdTls) {
    if (endpoints.length === 0) throw new StoreError("etcd: no endpoints given");
    this.#endpoints = endpoints;
    this.#credentials = endpoints.map((endpoint) => credentialsFor(endpoint, tls));
    this.#connections = endpoints.map(() => undefined);
  }

  /** The endpoint calls currently go to. */
  get endpoint(): string {
    return this.#endpoints[this.#active];
  }

  /**
   * Find an endpoint that answers as etcd (a Status call each, all at once) and make it the active one.
   * Rejects with {@linkcode UnavailableError} naming every endpoint's failure when none answers by
   * `deadline` (ms since the epoch), or with the signal's reason.
   *
   * @example
   * ```ts
   * await client.connect(Date.now() + 3000);
   * ```
   */
  async connect(deadline: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    // grpc fails a call at once when the connection is refused and reports why (e.g. ECONNREFUSED), which
    // makes a better message than waiting for the channel to become ready.
    const attempts = this.#endpoints.map((_, index) =>
      this.#unary("maintenance", "Status", {}, { index, deadline }).then(() => index)
    );
    this.#active = await abortable(Promise.any(attempts), signal).catch((error) => {
      if (signal?.aborted) throw signal.reason;
      const reasons = (error as AggregateError).errors ?? [error];
      const details = reasons.map((reason: Error) => reason.message.replace(/^etcd is unavailable: /, "")).join("; ");
      throw new UnavailableError(`etcd is unavailable: ${details}`, { cause: error });
    });
  }

  /**
   * Wait until some endpoint accepts a connection, trying them all at once; that one becomes active.
   * Rejects at `deadline` (ms since the epoch) or with the signal's reason.
   *
   * @example
   * ```ts
   * await client.ready(Date.now() + 5000);
   * ```
   */
  async ready(deadline: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const attempts = this.#endpoints.map((_, index) =>
      new Promise<number>((resolve, reject) => {
        this.#connection(index).kv.waitForReady(deadline, (error) => error ? reject(error) : resolve(index));
      })
    );
    this.#active = await abortable(Promise.any(attempts), signal);
  }

  /**
   * KV.Range.
   *
   * @example
   * ```ts
   * const { kvs } = await client.range({ key: new TextEncoder().encode("/a") });
   * ```
   */
  range(request: PbRangeRequest): Promise<PbRangeResponse> {
    return this.#unary("kv", "Range", request);
  }

  /**
   * KV.Txn.
   *
   * @example
   * ```ts
   * const { succeeded } = await client.txn({ compare: [], success: [], failure: [] });
   * ```
   */
  txn(request: PbTxnRequest): Promise<PbTxnResponse> {
    return this.#unary("kv", "Txn", request);
  }

  /**
   * KV.Compact, physical: returns once the old revisions' pages are free for reuse, as SQL backends' deletes
   * are, so churn right after a compaction does not grow the file (a logical one frees them later).
   *
   * @example
   * ```ts
   * await client.compact(42);
   * ```
   */
  async compact(revision: number): Promise<void> {
    await this.#unary("kv", "Compact", { revision, physical: true });
  }

  /**
   * Lease.LeaseGrant, with a caller-chosen ID (`"0"` lets etcd choose).
   *
   * @example
   * ```ts
   * const { ID } = await client.leaseGrant(60, "0");
   * ```
   */
  leaseGrant(ttl: number, id: string): Promise<PbLeaseGrantResponse> {
    return this.#unary("lease", "LeaseGrant", { TTL: ttl, ID: id });
  }

  /**
   * Lease.LeaseRevoke.
   *
   * @example
   * ```ts
   * await client.leaseRevoke("7587862072907233281");
   * ```
   */
  async leaseRevoke(id: string): Promise<void> {
    await this.#unary("lease", "LeaseRevoke", { ID: id });
  }

  /**
   * Lease.LeaseTimeToLive.
   *
   * @example
   * ```ts
   * const { grantedTTL } = await client.leaseTimeToLive("7587862072907233281");
   * ```
   */
  leaseTimeToLive(id: string): Promise<PbLeaseTimeToLiveResponse> {
    return this.#unary("lease", "LeaseTimeToLive", { ID: id, keys: false });
  }

  /**
   * Maintenance.Status of the active member.
   *
   * @example
   * ```ts
   * const { dbSize, version } = await client.status();
   * ```
   */
  status(): Promise<PbStatusResponse> {
    return this.#unary("maintenance", "Status", {});
  }

  /**
   * Open a Watch stream on the active endpoint. Its errors are raw gRPC errors; see {@linkcode EtcdClient.toStoreError}.
   *
   * @example
   * ```ts
   * const stream = client.watchStream();
   * stream.write({ create_request: { key, range_end, start_revision: 0, prev_kv: true } });
   * ```
   */
  watchStream(): WatchStream {
    const connection = this.#connection(this.#active);
    // Without this a member cut off from its cluster keeps the stream open and silently delivers nothing;
    // with it etcd ends the stream ("no leader"), and the watch moves to another member.
    const metadata = new grpc.Metadata();
    metadata.set("hasleader", "true");
    return (connection.watch as unknown as { Watch(metadata: grpc.Metadata): WatchStream }).Watch(metadata);
  }

  /**
   * Turn a gRPC failure into a Store error that names the endpoint; move to the next endpoint on a
   * connection failure.
   *
   * @example
   * ```ts
   * stream.on("error", (error) => fail(client.toStoreError(error)));
   * ```
   */
  toStoreError(error: unknown, endpoint = this.endpoint): Error {
    const code = (error as Partial<grpc.ServiceError>)?.code;
    if (typeof code !== "number") return error instanceof Error ? error : new StoreError(String(error));
    // grpc appends an empty "Resolution note: " to connection failures; it only adds noise to the message.
    const details = ((error as grpc.ServiceError).details || grpc.status[code]).replace(/\.? Resolution note: ?$/, "");
    if (this.#closed) return new StoreError(`etcd store is closed (${details})`, { cause: error });
    if (TRANSIENT.has(code)) {
      this.#failedOver(endpoint);
      return new UnavailableError(`etcd is unavailable: ${endpoint}: ${details}`, { cause: error });
    }
    if (code === grpc.status.OUT_OF_RANGE && details.includes("compacted")) {
      return new EtcdRevisionError("compacted", details);
    }
    if (code === grpc.status.OUT_OF_RANGE && details.includes("future revision")) {
      return new EtcdRevisionError("future", details);
    }
    return new StoreError(`etcd at ${endpoint} failed: ${details}`, { cause: error });
  }

  /**
   * Close every channel; calls in flight fail.
   *
   * @example
   * ```ts
   * client.close();
   * ```
   */
  close(): void {
    this.#closed = true;
    for (const connection of this.#connections) connection?.channel.close();
  }

  #unary<T>(
    service: "kv" | "lease" | "maintenance",
    method: string,
    request: unknown,
    { index = this.#active, deadline = Date.now() + CALL_TIMEOUT_MS } = {},
  ): Promise<T> {
    if (this.#closed) return Promise.reject(new StoreError("etcd store is closed"));
    const connection = this.#connection(index);
    const client = connection[service] as unknown as Record<string, UnaryMethod>;
    return new Promise<T>((resolve, reject) => {
      client[method](request, { deadline }, (error, response) => {
        if (error) reject(this.toStoreError(error, connection.endpoint));
        else resolve(response as T);
      });
    });
  }

  #connection(index: number): Connection {
    const existing = this.#connections[index];
    if (existing) return existing;
    const endpoint = this.#endpoints[index];
    const channel = new grpc.Channel(target(endpoint), this.#credentials[index], CHANNEL_OPTIONS);
    const { KV, Watch, Lease, Maintenance } = etcdServices();
    // The address and credentials are ignored with channelOverride: all four services share one connection.
    const make = (Service: grpc.ServiceClientConstructor) =>
      new Service(target(endpoint), this.#credentials[index], { channelOverride: channel });
    const connection = {
      endpoint,
      channel,
      kv: make(KV),
      watch: make(Watch),
      lease: make(Lease),
      maintenance: make(Maintenance),
    };
    this.#connections[index] = connection;
    return connection;
  }

  #failedOver(endpoint: string): void {
    if (this.#endpoints[this.#active] === endpoint) this.#active = (this.#active + 1) % this.#endpoints.length;
  }
}

/** `promise`, or the signal's reason as soon as it aborts. */
function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** `host:port` of an `http(s)://host:port` endpoint (a bare `host:port` is taken as plain HTTP). */
function target(endpoint: string): string {
  if (!endpoint.includes("://")) return endpoint;
  const url = new URL(endpoint);
  // URL keeps the brackets of an IPv6 host, which is the form grpc wants too.
  return `${url.hostname}:${url.port || "2379"}`;
}

function credentialsFor(endpoint: string, tls?: EtcdTls): grpc.ChannelCredentials {
  const scheme = endpoint.includes("://") ? endpoint.slice(0, endpoint.indexOf("://")).toLowerCase() : "http";
  if (scheme === "http") return grpc.credentials.createInsecure();
  if (scheme !== "https") throw new StoreError(`etcd endpoint ${endpoint}: the scheme must be http or https`);
  return tlsCredentials(new URL(endpoint).hostname, tls);
}
