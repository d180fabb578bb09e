/**
 * One SPDY stream as a node Duplex: writes become DATA frames, `end()` sends FIN.
 *
 * Sending ignores the peer's window, as moby/spdystream (kubectl's and containerd's SPDY) does: spdystream never
 * sends WINDOW_UPDATE, so honouring the 64 KiB initial window would stall every larger transfer. Backpressure
 * comes from the transport instead. Receiving still sends WINDOW_UPDATE as the reader consumes data.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { Duplex } from "node:stream";
import type { SpdyHeaders } from "./header_block.ts";

/** The largest DATA frame payload sent; smaller than the window so other streams interleave. */
const MAX_DATA_FRAME = 16 * 1024;

/** What a stream needs from its session to put frames on the wire. */
export interface StreamSink {
  /** Returns false when the transport is full; `whenDrained` then tells when to go on. */
  sendData(id: number, data: Buffer, fin: boolean): boolean;
  whenDrained(callback: () => void): void;
  sendWindowUpdate(id: number, delta: number): void;
  sendReset(id: number): void;
  forget(id: number): void;
}

/**
 * A bidirectional SPDY stream. `headers` are the peer's (its SYN_STREAM, or its SYN_REPLY and HEADERS).
 *
 * @example
 * ```ts
 * const stream = await session.openStream({ streamtype: "stdin" });
 * stream.end("input"); // DATA, then FIN
 * ```
 */
export class SpdyStream extends Duplex {
  headers: SpdyHeaders;
  #sink: StreamSink;
  #unacknowledged = 0;
  #localClosed = false;
  #remoteClosed = false;
  #reset = false;

  constructor(readonly id: number, headers: SpdyHeaders, sink: StreamSink) {
    super({ allowHalfOpen: true });
    this.headers = headers;
    this.#sink = sink;
  }

  /** Aborts the stream in both directions (RST_STREAM CANCEL). */
  reset(): void {
    if (this.#reset || this.destroyed) return;
    this.#reset = true;
    this.#sink.sendReset(this.id);
    this.destroy();
  }

  /** @internal The peer sent DATA (and maybe FIN). */
  receive(data: Buffer, fin: boolean): void {
    if (this.#remoteClosed || this.destroyed) return;
    if (data.length) {
      this.#unacknowledged += data.length;
      // The peer's window reopens only as the reader keeps up, so a slow reader throttles the sender.
      if (this.push(data)) this.#acknowledge();
    }
    if (fin) this.remoteClose();
  }

  /** @internal The peer half-closed its side. */
  remoteClose(): void {
    if (this.#remoteClosed) return;
    this.#remoteClosed = true;
    this.push(null);
    this.#forgetIfDone();
  }

  /**
   * @internal The peer reset the stream. As in Go's spdystream, what already arrived stays readable and then reads
   * end; kubelet streaming servers reset every stream right after writing the final status.
   */
  remoteReset(): void {
    if (this.#reset) return;
    this.#reset = true;
    this.#localClosed = true;
    this.remoteClose();
  }

  /** @internal The session is gone: what the peer finished sending stays readable, anything else is cut off. */
  abandon(): void {
    if (!this.#remoteClosed) return void this.destroy();
    this.#reset = true;
  }

  override _read(): void {
    this.#acknowledge();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    // After a reset, writes go nowhere (an error event here would crash callers that never expect one).
    if (this.#reset || this.destroyed) return callback();
    let flowing = true;
    for (let offset = 0; offset < chunk.length; offset += MAX_DATA_FRAME) {
      flowing = this.#sink.sendData(this.id, chunk.subarray(offset, offset + MAX_DATA_FRAME), false);
    }
    if (flowing) callback();
    else this.#sink.whenDrained(() => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (!this.#reset) this.#sink.sendData(this.id, Buffer.alloc(0), true);
    this.#localClosed = true;
    this.#forgetIfDone();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.#reset && !(this.#localClosed && this.#remoteClosed)) {
      this.#reset = true;
      this.#sink.sendReset(this.id);
    }
    this.#sink.forget(this.id);
    callback(error);
  }

  #acknowledge(): void {
    if (!this.#unacknowledged || this.#remoteClosed || this.destroyed) return;
    this.#sink.sendWindowUpdate(this.id, this.#unacknowledged);
    this.#unacknowledged = 0;
  }

  #forgetIfDone(): void {
    if (this.#localClosed && this.#remoteClosed) this.#sink.forget(this.id);
  }
}
