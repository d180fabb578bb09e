/**
 * SPDY/3.1 framing, as Kubernetes' streaming protocols use it (moby/spdystream): many bidirectional streams over one
 * connection, each opened with headers, half-closed with FIN, flow-controlled by windows. kubectl port-forward speaks
 * it to the API server, and containerd's streaming server speaks it for exec, attach and port-forward.
 *
 * Header blocks are compressed with the SPDY/3 dictionary into one zlib stream per direction, as the protocol
 * requires, and read by inflating everything received so far (a session has only a few header blocks).
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { EventEmitter } from "node:events";
import { Duplex } from "node:stream";
import zlib from "node:zlib";
import { SPDY3_DICTIONARY } from "./spdy_dictionary.ts";

const VERSION = 3;
const SYN_STREAM = 1;
const SYN_REPLY = 2;
const RST_STREAM = 3;
const SETTINGS = 4;
const PING = 6;
const GOAWAY = 7;
const HEADERS = 8;
const WINDOW_UPDATE = 9;
const FLAG_FIN = 1;
const INITIAL_WINDOW = 64 * 1024;
const SETTINGS_INITIAL_WINDOW_SIZE = 7;
const MAX_DATA_FRAME = 16 * 1024;
/** RST_STREAM status: the stream was cancelled. */
const CANCEL = 5;

/** Headers of a stream (names lower-case). */
export type SpdyHeaders = Record<string, string>;

/**
 * One SPDY stream: a Duplex whose `end()` sends FIN; `headers` are the peer's (SYN_STREAM or SYN_REPLY).
 */
export class SpdyStream extends Duplex {
  headers: SpdyHeaders = {};
  #window = INITIAL_WINDOW;
  #pending: { data: Buffer; callback: (error?: Error | null) => void }[] = [];
  #replied!: () => void;
  /** Resolves when the peer answered our SYN_STREAM (or opened the stream). */
  readonly replied = new Promise<void>((resolve) => this.#replied = resolve);
  #remoteClosed = false;
  #localClosed = false;

  constructor(readonly id: number, private readonly session: SpdySession) {
    super({ allowHalfOpen: true });
  }

  /** Abort the stream (RST_STREAM CANCEL). */
  reset(): void {
    this.session.resetStream(this.id);
    this.destroy();
  }

  /** @internal */
  markReplied(headers: SpdyHeaders): void {
    this.headers = { ...this.headers, ...headers };
    this.#replied();
  }

  /** @internal The peer sent data (or FIN). */
  receive(data: Buffer, fin: boolean): void {
    if (data.length) {
      this.push(data);
      // Consumption is immediate here: readers are piped; the peer may send as much again.
      this.session.windowUpdate(this.id, data.length);
    }
    if (fin) this.remoteClose();
  }

  /** @internal */
  remoteClose(): void {
    if (this.#remoteClosed) return;
    this.#remoteClosed = true;
    this.push(null);
    this.#maybeForget();
  }

  /** @internal The peer granted more window. */
  grow(delta: number): void {
    this.#window += delta;
    this.#flush();
  }

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: string, callback: (error?: Error | null) => void): void {
    this.#pending.push({ data: Buffer.from(chunk), callback });
    this.#flush();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#pending.push({
      data: Buffer.alloc(0),
      callback: (error) => {
        this.#localClosed = true;
        this.#maybeForget();
        callback(error);
      },
    });
    this.#flush();
  }

  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    for (const p of this.#pending.splice(0)) p.callback(error ?? new Error("stream destroyed"));
    this.session.forget(this.id);
    callback(error);
  }

  #flush(): void {
    while (this.#pending.length) {
      const next = this.#pending[0];
      if (next.data.length === 0) {
        this.#pending.shift();
        this.session.sendData(this.id, next.data, true);
        next.callback();
        continue;
      }
      if (this.#window <= 0) return;
      const size = Math.min(next.data.length, this.#window, MAX_DATA_FRAME);
      this.session.sendData(this.id, next.data.subarray(0, size), false);
      this.#window -= size;
      next.data = next.data.subarray(size);
      if (next.data.length === 0) {
        this.#pending.shift();
        next.callback();
      }
    }
  }

  #maybeForget(): void {
    if (this.#localClosed && this.#remoteClosed) this.session.forget(this.id);
  }
}

/**
 * A SPDY/3.1 session over `transport` (a socket, or WebSocket messages as a Duplex).
 *
 * @example
 * ```ts
 * const session = new SpdySession(socket, "client");
 * const stdout = await session.openStream({ streamtype: "stdout" });
 * stdout.on("data", (chunk) => process.stdout.write(chunk));
 * ```
 */
export class SpdySession extends EventEmitter {
  readonly #streams = new Map<number, SpdyStream>();
  #nextId: number;
  #buffer = Buffer.alloc(0);
  #compressedIn = Buffer.alloc(0);
  #inflated = 0;
  readonly #deflate = zlib.createDeflate({ dictionary: SPDY3_DICTIONARY });
  /** Frames go out in order through this chain (header blocks are compressed asynchronously). */
  #sending: Promise<void> = Promise.resolve();
  #initialWindow = INITIAL_WINDOW;
  #closed = false;
  #markClosed!: () => void;
  /** Resolves when the transport ended. */
  readonly closed = new Promise<void>((resolve) => this.#markClosed = resolve);

  constructor(readonly transport: Duplex, readonly role: "client" | "server") {
    super();
    this.#nextId = role === "client" ? 1 : 2;
    transport.on("data", (chunk: Buffer) => {
      this.#buffer = this.#buffer.length ? Buffer.concat([this.#buffer, chunk]) : Buffer.from(chunk);
      try {
        this.#parse();
      } catch {
        // A frame this side cannot read ends the session, as a protocol error does.
        this.close();
      }
    });
    const end = () => this.#end();
    transport.on("end", end);
    transport.on("close", end);
    transport.on("error", end);
  }

  /** Open a stream with `headers`; resolves once the peer replied. */
  async openStream(headers: SpdyHeaders): Promise<SpdyStream> {
    const id = this.#nextId;
    this.#nextId += 2;
    const stream = this.#track(id);
    const body = Buffer.alloc(10);
    body.writeUInt32BE(id & 0x7fffffff, 0);
    body.writeUInt32BE(0, 4);
    body.writeUInt16BE(0, 8);
    this.#control(SYN_STREAM, 0, this.#headerBlock(headers).then((block) => Buffer.concat([body, block])));
    await Promise.race([stream.replied, this.closed.then(() => Promise.reject(new Error("connection closed")))]);
    return stream;
  }

  /** Send a PING; resolves with the round-trip milliseconds. */
  ping(): Promise<number> {
    const id = this.role === "client" ? 1 : 2;
    const started = Date.now();
    return new Promise((resolve) => {
      this.once(`pong:${id}`, () => resolve(Date.now() - started));
      const body = Buffer.alloc(4);
      body.writeUInt32BE(id, 0);
      this.#control(PING, 0, body);
    });
  }

  /** Close the connection (GOAWAY, then end the transport). */
  close(): void {
    if (this.#closed) return;
    this.#control(GOAWAY, 0, Buffer.alloc(8));
    this.#sending.then(() => {
      this.transport.end();
      this.#end();
    });
  }

  /** @internal */
  sendData(id: number, data: Buffer, fin: boolean): void {
    if (this.#closed) return;
    const header = Buffer.alloc(8);
    header.writeUInt32BE(id & 0x7fffffff, 0);
    header.writeUInt32BE(((fin ? FLAG_FIN : 0) << 24) | data.length, 4);
    this.#send(Buffer.concat([header, data]));
  }

  /** @internal */
  windowUpdate(id: number, delta: number): void {
    const body = Buffer.alloc(8);
    body.writeUInt32BE(id & 0x7fffffff, 0);
    body.writeUInt32BE(delta, 4);
    this.#control(WINDOW_UPDATE, 0, body);
  }

  /** @internal */
  resetStream(id: number): void {
    const body = Buffer.alloc(8);
    body.writeUInt32BE(id & 0x7fffffff, 0);
    body.writeUInt32BE(CANCEL, 4);
    this.#control(RST_STREAM, 0, body);
    this.forget(id);
  }

  /** @internal */
  forget(id: number): void {
    this.#streams.delete(id);
  }

  #track(id: number): SpdyStream {
    const stream = new SpdyStream(id, this);
    stream.grow(this.#initialWindow - INITIAL_WINDOW);
    this.#streams.set(id, stream);
    return stream;
  }

  #end(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const stream of this.#streams.values()) {
      stream.remoteClose();
      stream.destroy();
    }
    this.#streams.clear();
    this.#markClosed();
    this.emit("close");
  }

  #control(type: number, flags: number, body: Buffer | Promise<Buffer>): void {
    this.#send(
      Promise.resolve(body).then((payload) => {
        const header = Buffer.alloc(8);
        header.writeUInt16BE(0x8000 | VERSION, 0);
        header.writeUInt16BE(type, 2);
        header.writeUInt32BE((flags << 24) | payload.length, 4);
        return Buffer.concat([header, payload]);
      }),
    );
  }

  #send(frame: Buffer | Promise<Buffer>): void {
    this.#sending = this.#sending.then(async () => {
      const bytes = await frame;
      if (!this.#closed) this.transport.write(bytes);
    }).catch(() => this.#end());
  }

  /** The name/value block, compressed into this direction's zlib stream (one stream per session, synced per block). */
  #headerBlock(headers: SpdyHeaders): Promise<Buffer> {
    const entries = Object.entries(headers);
    const parts: Buffer[] = [];
    const count = Buffer.alloc(4);
    count.writeUInt32BE(entries.length, 0);
    parts.push(count);
    for (const [name, value] of entries) {
      for (const text of [name.toLowerCase(), value]) {
        const bytes = Buffer.from(text, "utf8");
        const length = Buffer.alloc(4);
        length.writeUInt32BE(bytes.length, 0);
        parts.push(length, bytes);
      }
    }
    const deflate = this.#deflate;
    return new Promise((resolve, reject) => {
      const out: Buffer[] = [];
      const collect = (chunk: Buffer) => out.push(chunk);
      deflate.on("data", collect);
      deflate.write(Buffer.concat(parts));
      deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        deflate.off("data", collect);
        resolve(Buffer.concat(out));
      });
      deflate.once("error", reject);
    });
  }

  #readHeaders(block: Buffer): SpdyHeaders {
    this.#compressedIn = Buffer.concat([this.#compressedIn, block]);
    const all = zlib.inflateSync(this.#compressedIn, {
      dictionary: SPDY3_DICTIONARY,
      finishFlush: zlib.constants.Z_SYNC_FLUSH,
    });
    const raw = all.subarray(this.#inflated);
    this.#inflated = all.length;
    const headers: SpdyHeaders = {};
    const count = raw.readUInt32BE(0);
    let offset = 4;
    for (let i = 0; i < count; i++) {
      const nameLength = raw.readUInt32BE(offset);
      const name = raw.subarray(offset + 4, offset + 4 + nameLength).toString("utf8");
      offset += 4 + nameLength;
      const valueLength = raw.readUInt32BE(offset);
      // Several values of one header are NUL-separated; streaming headers have one each.
      headers[name.toLowerCase()] = raw.subarray(offset + 4, offset + 4 + valueLength).toString("utf8").split("\0")[0];
      offset += 4 + valueLength;
    }
    return headers;
  }

  #parse(): void {
    while (this.#buffer.length >= 8) {
      const length = this.#buffer.readUInt32BE(4) & 0xffffff;
      if (this.#buffer.length < 8 + length) return;
      const flags = this.#buffer[4];
      const body = this.#buffer.subarray(8, 8 + length);
      const control = (this.#buffer[0] & 0x80) !== 0;
      const word = this.#buffer.readUInt32BE(0);
      this.#buffer = this.#buffer.subarray(8 + length);
      if (!control) {
        const stream = this.#streams.get(word & 0x7fffffff);
        stream?.receive(Buffer.from(body), (flags & FLAG_FIN) !== 0);
        continue;
      }
      this.#controlFrame(word & 0xffff, flags, body);
    }
  }

  #controlFrame(type: number, flags: number, body: Buffer): void {
    const id = body.length >= 4 ? body.readUInt32BE(0) & 0x7fffffff : 0;
    switch (type) {
      case SYN_STREAM: {
        const headers = this.#readHeaders(body.subarray(10));
        const stream = this.#track(id);
        stream.markReplied(headers);
        const reply = Buffer.alloc(4);
        reply.writeUInt32BE(id, 0);
        this.#control(SYN_REPLY, 0, this.#headerBlock({}).then((block) => Buffer.concat([reply, block])));
        this.emit("stream", stream);
        if (flags & FLAG_FIN) stream.remoteClose();
        break;
      }
      case SYN_REPLY: {
        const headers = this.#readHeaders(body.subarray(4));
        const stream = this.#streams.get(id);
        stream?.markReplied(headers);
        if (flags & FLAG_FIN) stream?.remoteClose();
        break;
      }
      case HEADERS:
        this.#readHeaders(body.subarray(4));
        break;
      case RST_STREAM: {
        const stream = this.#streams.get(id);
        this.forget(id);
        stream?.remoteClose();
        stream?.destroy();
        break;
      }
      case SETTINGS: {
        const count = body.readUInt32BE(0);
        for (let i = 0; i < count; i++) {
          const key = body.readUInt32BE(4 + i * 8) & 0xffffff;
          const value = body.readUInt32BE(8 + i * 8);
          if (key === SETTINGS_INITIAL_WINDOW_SIZE) {
            const delta = value - this.#initialWindow;
            this.#initialWindow = value;
            for (const stream of this.#streams.values()) stream.grow(delta);
          }
        }
        break;
      }
      case PING: {
        const pingId = body.readUInt32BE(0);
        // Our own PINGs have our parity; the peer's are echoed back.
        if ((pingId % 2 === 1) === (this.role === "client")) this.emit(`pong:${pingId}`);
        else this.#control(PING, 0, Buffer.from(body));
        break;
      }
      case GOAWAY:
        this.#end();
        break;
      case WINDOW_UPDATE:
        this.#streams.get(id)?.grow(body.readUInt32BE(4) & 0x7fffffff);
        break;
    }
  }
}
