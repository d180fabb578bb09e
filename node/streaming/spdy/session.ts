/**
 * A SPDY/3.1 session (the subset Kubernetes' streaming protocols use, as moby/spdystream speaks it): streams opened
 * with header blocks, DATA with FIN for half-close, RST_STREAM, PING, GOAWAY, HEADERS and WINDOW_UPDATE for what
 * was received. Client-opened streams have odd ids, server-opened ones even ids.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { EventEmitter } from "node:events";
import type { Duplex } from "node:stream";
import { HeaderDeflater, HeaderInflater, type SpdyHeaders } from "./header_block.ts";
import { SpdyStream, type StreamSink } from "./stream.ts";

const VERSION = 3;
const SYN_STREAM = 1;
const SYN_REPLY = 2;
const RST_STREAM = 3;
const PING = 6;
const GOAWAY = 7;
const HEADERS = 8;
const WINDOW_UPDATE = 9;
const FLAG_FIN = 0x01;
/** Larger frames than this are refused (upstream framers cap frames at 16 MiB). */
const MAX_FRAME = 16 * 1024 * 1024;

/** RST_STREAM status codes. */
const PROTOCOL_ERROR = 1;
const INVALID_STREAM = 2;
const REFUSED_STREAM = 3;
const CANCEL = 5;
/** GOAWAY status codes. */
const GOAWAY_OK = 0;
const GOAWAY_PROTOCOL_ERROR = 1;

interface Frame {
  control: boolean;
  type: number;
  id: number;
  flags: number;
  payload: Buffer;
}

/**
 * One SPDY/3.1 connection over a byte transport (a socket, or a WebSocket wrapped by `webSocketDuplex`).
 * Events: `stream` (a peer-opened stream, already answered with SYN_REPLY), `goaway`, `close`.
 *
 * @example
 * ```ts
 * const session = new SpdySession(socket, "server");
 * session.on("stream", (stream: SpdyStream) => stream.pipe(stream)); // echo
 * ```
 */
export class SpdySession extends EventEmitter {
  /** Resolves once the transport is gone and every stream is closed. */
  readonly closed: Promise<void>;
  #transport: Duplex;
  #role: "client" | "server";
  #streams = new Map<number, SpdyStream>();
  #replies = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  #pings = new Map<number, { sent: number; resolve: (rtt: number) => void; reject: (error: Error) => void }>();
  #deflater = new HeaderDeflater();
  #inflater = new HeaderInflater();
  #buffer: Buffer = Buffer.alloc(0);
  #inbound: Promise<void> = Promise.resolve();
  #nextStreamId: number;
  #nextPingId: number;
  #lastPeerStreamId = 0;
  #goingAway = false;
  #isClosed = false;
  #sink: StreamSink;

  constructor(transport: Duplex, role: "client" | "server") {
    super();
    this.#transport = transport;
    this.#role = role;
    this.#nextStreamId = role === "client" ? 1 : 2;
    this.#nextPingId = role === "client" ? 1 : 2;
    this.#sink = {
      sendData: (id, data, fin) => this.#sendDataFrame(id, data, fin),
      whenDrained: (callback) => this.#transport.once("drain", callback),
      sendWindowUpdate: (id, delta) => this.#sendControl(WINDOW_UPDATE, 0, uint32s(id, delta)),
      sendReset: (id) => this.#sendControl(RST_STREAM, 0, uint32s(id, CANCEL)),
      forget: (id) => this.#streams.delete(id),
    };
    this.closed = new Promise((resolve) => this.once("close", resolve));
    transport.on("data", (chunk: Buffer) => this.#onData(chunk));
    // Frames already received are handled before the session goes: a peer often sends FIN and hangs up at once.
    const closeAfterInbound = () => void this.#inbound.then(() => this.close());
    transport.on("error", closeAfterInbound);
    transport.on("end", closeAfterInbound);
    transport.on("close", closeAfterInbound);
  }

  /**
   * Opens a stream (SYN_STREAM) and resolves once the peer answers it (SYN_REPLY).
   *
   * @example
   * ```ts
   * const stdout = await session.openStream({ streamtype: "stdout" });
   * ```
   */
  openStream(headers: SpdyHeaders): Promise<SpdyStream> {
    if (this.#isClosed || this.#goingAway) return Promise.reject(new Error("SPDY session is closing"));
    const id = this.#nextStreamId;
    this.#nextStreamId += 2;
    const stream = new SpdyStream(id, {}, this.#sink);
    this.#streams.set(id, stream);
    const replied = new Promise<SpdyStream>((resolve, reject) => {
      this.#replies.set(id, { resolve: () => resolve(stream), reject });
    });
    const prefix = Buffer.alloc(10);
    prefix.writeUInt32BE(id, 0);
    this.#sendControl(SYN_STREAM, 0, Buffer.concat([prefix, this.#deflater.compress(headers)]));
    return replied;
  }

  /**
   * Sends a PING and resolves with the round-trip time in milliseconds.
   *
   * @example
   * ```ts
   * const rtt = await session.ping();
   * ```
   */
  ping(): Promise<number> {
    if (this.#isClosed) return Promise.reject(new Error("SPDY session is closed"));
    const id = this.#nextPingId;
    this.#nextPingId += 2;
    const reply = new Promise<number>((resolve, reject) => {
      this.#pings.set(id, { sent: performance.now(), resolve, reject });
    });
    this.#sendControl(PING, 0, uint32s(id));
    return reply;
  }

  /**
   * Tells the peer no more of its streams are accepted (GOAWAY); streams already open carry on.
   *
   * @example
   * ```ts
   * session.goAway();
   * ```
   */
  goAway(): void {
    if (this.#goingAway || this.#isClosed) return;
    this.#goingAway = true;
    this.#sendControl(GOAWAY, 0, uint32s(this.#lastPeerStreamId, GOAWAY_OK));
  }

  /**
   * Closes every stream and the transport.
   *
   * @example
   * ```ts
   * session.close();
   * await session.closed;
   * ```
   */
  close(): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    const gone = new Error("SPDY session closed");
    for (const stream of [...this.#streams.values()]) stream.abandon();
    for (const { reject } of this.#replies.values()) reject(gone);
    for (const { reject } of this.#pings.values()) reject(gone);
    this.#replies.clear();
    this.#pings.clear();
    this.#inflater.close();
    // Frames already written (a FIN, the exit status) must reach the peer: destroy only once they are flushed.
    this.#transport.once("finish", () => this.#transport.destroy());
    this.#transport.end();
    this.emit("close");
  }

  #onData(chunk: Buffer): void {
    this.#buffer = this.#buffer.length ? Buffer.concat([this.#buffer, chunk]) : chunk;
    while (this.#buffer.length >= 8) {
      const length = this.#buffer.readUIntBE(5, 3);
      if (length > MAX_FRAME) return this.#protocolError();
      if (this.#buffer.length < 8 + length) break;
      const head = this.#buffer;
      const control = (head[0] & 0x80) !== 0;
      const frame: Frame = {
        control,
        type: control ? head.readUInt16BE(2) : 0,
        id: control ? 0 : head.readUInt32BE(0) & 0x7fffffff,
        flags: head[4],
        payload: head.subarray(8, 8 + length),
      };
      if (control && (head.readUInt16BE(0) & 0x7fff) !== VERSION) return this.#protocolError();
      this.#buffer = head.subarray(8 + length);
      // Header blocks inflate asynchronously; frames are still handled strictly in arrival order.
      this.#inbound = this.#inbound.then(() => this.#handle(frame)).catch(() => this.#protocolError());
    }
  }

  async #handle(frame: Frame): Promise<void> {
    if (this.#isClosed) return;
    if (!frame.control) return this.#onDataFrame(frame);
    const payload = frame.payload;
    const fin = (frame.flags & FLAG_FIN) !== 0;
    switch (frame.type) {
      case SYN_STREAM:
        return this.#onSynStream(
          payload.readUInt32BE(0) & 0x7fffffff,
          await this.#inflater.decompress(payload.subarray(10)),
          fin,
        );
      case SYN_REPLY:
      case HEADERS:
        return this.#onHeaders(
          payload.readUInt32BE(0) & 0x7fffffff,
          await this.#inflater.decompress(payload.subarray(4)),
          fin,
        );
      case RST_STREAM:
        return this.#streamGone(payload.readUInt32BE(0) & 0x7fffffff, new Error("SPDY stream reset by peer"));
      case PING:
        return this.#onPing(payload.readUInt32BE(0));
      case GOAWAY:
        return this.#onGoAway(payload.readUInt32BE(0) & 0x7fffffff);
      default:
        // SETTINGS and WINDOW_UPDATE only tune flow control, which sending leaves to the transport (see stream.ts);
        // unknown control frames are ignored, as the draft requires.
        return;
    }
  }

  #onSynStream(id: number, headers: SpdyHeaders, fin: boolean): void {
    const peerParity = this.#role === "server" ? 1 : 0;
    if (id === 0 || id % 2 !== peerParity || id <= this.#lastPeerStreamId) {
      return this.#sendControl(RST_STREAM, 0, uint32s(id, PROTOCOL_ERROR));
    }
    this.#lastPeerStreamId = id;
    if (this.#goingAway) return this.#sendControl(RST_STREAM, 0, uint32s(id, REFUSED_STREAM));
    const stream = new SpdyStream(id, headers, this.#sink);
    this.#streams.set(id, stream);
    const reply = Buffer.alloc(4);
    reply.writeUInt32BE(id);
    this.#sendControl(SYN_REPLY, 0, Buffer.concat([reply, this.#deflater.compress({})]));
    if (fin) stream.remoteClose();
    this.emit("stream", stream);
  }

  #onHeaders(id: number, headers: SpdyHeaders, fin: boolean): void {
    const stream = this.#streams.get(id);
    if (!stream) return this.#sendControl(RST_STREAM, 0, uint32s(id, INVALID_STREAM));
    stream.headers = { ...stream.headers, ...headers };
    const waiting = this.#replies.get(id);
    this.#replies.delete(id);
    waiting?.resolve();
    if (fin) stream.remoteClose();
  }

  #onDataFrame(frame: Frame): void {
    const stream = this.#streams.get(frame.id);
    if (!stream) return this.#sendControl(RST_STREAM, 0, uint32s(frame.id, INVALID_STREAM));
    stream.receive(frame.payload, (frame.flags & FLAG_FIN) !== 0);
  }

  #onPing(id: number): void {
    const ours = this.#role === "client" ? 1 : 0;
    if (id % 2 !== ours) return this.#sendControl(PING, 0, uint32s(id));
    const waiting = this.#pings.get(id);
    this.#pings.delete(id);
    waiting?.resolve(performance.now() - waiting.sent);
  }

  #onGoAway(lastGoodStreamId: number): void {
    this.#goingAway = true;
    const ours = this.#role === "client" ? 1 : 0;
    for (const id of [...this.#streams.keys()]) {
      if (id % 2 === ours && id > lastGoodStreamId) this.#streamGone(id, new Error("SPDY stream refused by GOAWAY"));
    }
    this.emit("goaway");
  }

  #streamGone(id: number, error: Error): void {
    const waiting = this.#replies.get(id);
    this.#replies.delete(id);
    waiting?.reject(error);
    this.#streams.get(id)?.remoteReset();
  }

  #protocolError(): void {
    if (this.#isClosed) return;
    this.#sendControl(GOAWAY, 0, uint32s(this.#lastPeerStreamId, GOAWAY_PROTOCOL_ERROR));
    this.close();
  }

  #sendControl(type: number, flags: number, payload: Buffer): void {
    const head = Buffer.alloc(8);
    head.writeUInt16BE(0x8000 | VERSION, 0);
    head.writeUInt16BE(type, 2);
    head.writeUInt32BE(payload.length, 4);
    head[4] = flags;
    this.#write(Buffer.concat([head, payload]));
  }

  #sendDataFrame(id: number, data: Buffer, fin: boolean): boolean {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(id & 0x7fffffff, 0);
    head.writeUInt32BE(data.length, 4);
    head[4] = fin ? FLAG_FIN : 0;
    return this.#write(Buffer.concat([head, data]));
  }

  #write(frame: Buffer): boolean {
    if (!this.#transport.writable || this.#transport.destroyed) return true;
    return this.#transport.write(frame);
  }
}

function uint32s(...values: number[]): Buffer {
  const buffer = Buffer.alloc(values.length * 4);
  values.forEach((value, i) => buffer.writeUInt32BE(value >>> 0, i * 4));
  return buffer;
}
