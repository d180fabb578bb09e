import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import net from "node:net";
import { text } from "node:stream/consumers";
import { SpdySession, type SpdyStream } from "../../../../node/streaming/spdy/mod.ts";

/** A client and a server session over a real loopback TCP connection. */
async function withPair(fn: (client: SpdySession, server: SpdySession) => Promise<void>): Promise<void> {
  const accepted = Promise.withResolvers<net.Socket>();
  const listener = net.createServer((socket) => accepted.resolve(socket));
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  const { port } = listener.address() as net.AddressInfo;
  const socket = net.connect(port, "127.0.0.1");
  const client = new SpdySession(socket, "client");
  const server = new SpdySession(await accepted.promise, "server");
  try {
    await fn(client, server);
  } finally {
    client.close();
    server.close();
    await Promise.all([client.closed, server.closed]);
    await new Promise((resolve) => listener.close(resolve));
  }
}

/** Echoes every peer-opened stream back, uppercased headers aside. */
function echo(session: SpdySession): void {
  session.on("stream", (stream: SpdyStream) => stream.pipe(stream));
}

Deno.test("streams carry headers and data both ways and half-close with FIN", async () => {
  await withPair(async (client, server) => {
    echo(server);
    const stream = await client.openStream({ streamType: "stdin", port: "80" });
    const seen = Promise.withResolvers<Record<string, string>>();
    server.once("stream", (s: SpdyStream) => seen.resolve(s.headers));
    const other = await client.openStream({ streamType: "stdout" });
    assert.deepEqual(await seen.promise, { streamtype: "stdout" });
    stream.end("hello");
    other.end("world");
    assert.deepEqual(await text(stream), "hello");
    assert.deepEqual(await text(other), "world");
    assert.deepEqual([stream.id % 2, other.id % 2], [1, 1]);
  });
});

Deno.test("many concurrent streams stay separate", async () => {
  await withPair(async (client, server) => {
    echo(server);
    const results = await Promise.all(Array.from({ length: 50 }, async (_, i) => {
      const stream = await client.openStream({ n: String(i) });
      stream.end(`stream ${i}`);
      return await text(stream);
    }));
    assert.deepEqual(results, Array.from({ length: 50 }, (_, i) => `stream ${i}`));
  });
});

Deno.test("transfers far beyond the 64 KiB initial window complete", async () => {
  await withPair(async (client, server) => {
    echo(server);
    const payload = Buffer.alloc(3 * 1024 * 1024 + 17, "abcdefgh");
    const stream = await client.openStream({});
    stream.end(payload);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    assert.deepEqual(Buffer.concat(chunks).equals(payload), true);
  });
});

Deno.test("the server can open streams with even ids", async () => {
  await withPair(async (client, server) => {
    echo(client);
    const stream = await server.openStream({ from: "server" });
    assert.deepEqual(stream.id % 2, 0);
    stream.end("ping");
    assert.deepEqual(await text(stream), "ping");
  });
});

Deno.test("a reset ends the peer's reads after the data that already arrived", async () => {
  await withPair(async (client, server) => {
    const peer = Promise.withResolvers<SpdyStream>();
    server.on("stream", (s: SpdyStream) => peer.resolve(s));
    const stream = await client.openStream({});
    const remote = await peer.promise;
    const received = new Promise((resolve) => remote.once("data", resolve));
    stream.write("partial");
    await received;
    remote.pause();
    remote.unshift(Buffer.from("partial"));
    stream.reset();
    assert.deepEqual(await text(remote), "partial");
    assert.deepEqual(stream.destroyed, true);
  });
});

Deno.test("ping resolves with the round trip", async () => {
  await withPair(async (client, server) => {
    assert.deepEqual(typeof await client.ping(), "number");
    assert.deepEqual(typeof await server.ping(), "number");
  });
});

Deno.test("after goAway the peer's new streams are refused", async () => {
  await withPair(async (client, server) => {
    const goaway = new Promise((resolve) => client.once("goaway", resolve));
    server.goAway();
    await goaway;
    await assert.rejects(() => client.openStream({}));
  });
});

Deno.test("garbage on the wire ends the session without a crash", async () => {
  const accepted = Promise.withResolvers<net.Socket>();
  const listener = net.createServer((socket) => accepted.resolve(socket));
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  const socket = net.connect((listener.address() as net.AddressInfo).port, "127.0.0.1");
  const server = new SpdySession(await accepted.promise, "server");
  socket.write(Buffer.from([0x80, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00]));
  await server.closed;
  socket.destroy();
  await new Promise((resolve) => listener.close(resolve));
});
