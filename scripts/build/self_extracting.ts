/**
 * Makes the offline route's binary fit K3s's size promise the way K3s's own binary does: a small static
 * launcher (launcher.c) followed by the gzip-compressed single-executable application, which the launcher
 * unpacks once into `<data-dir>/data/<sha256>/bin/k3s` and then execs on every start.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { ensureCommands } from "./debian.ts";
import { run } from "./run.ts";
import { type Target, toolchainPackages } from "./targets.ts";

/** Ends every binary; launcher.c looks for it to find the trailer. */
const MAGIC = "K3STS-PAYLOAD-1\n";

/**
 * Compiles launcher.c into a static, stripped executable for `target` (installing Debian's toolchain for it
 * when missing).
 *
 * ```ts
 * await compileLauncher(TARGETS[1], "/tmp/launcher-arm64");
 * ```
 */
export async function compileLauncher(target: Target, out: string): Promise<void> {
  await ensureCommands([target.cc], toolchainPackages(target));
  const source = new URL("./launcher.c", import.meta.url).pathname;
  await run(target.cc, ["-Os", "-static", "-s", "-Wall", "-Wextra", "-Werror", "-o", out, source]);
}

/**
 * Writes `out` = `launcher` + gzip(`payload`) + trailer (offset, length and size as little-endian u64, the
 * payload's sha256 in hex, the magic), executable.
 *
 * ```ts
 * packSelfExtracting("/tmp/launcher-amd64", "/tmp/sea-amd64", "dist/k3s-amd64");
 * ```
 */
export function packSelfExtracting(launcher: string, payload: string, out: string): void {
  const front = readFileSync(launcher);
  const body = readFileSync(payload);
  const compressed = gzipSync(body, { level: 9 });
  const trailer = new Uint8Array(24 + 64 + MAGIC.length);
  const view = new DataView(trailer.buffer);
  view.setBigUint64(0, BigInt(front.length), true);
  view.setBigUint64(8, BigInt(compressed.length), true);
  view.setBigUint64(16, BigInt(body.length), true);
  const encoder = new TextEncoder();
  trailer.set(encoder.encode(createHash("sha256").update(body).digest("hex")), 24);
  trailer.set(encoder.encode(MAGIC), 24 + 64);
  const file = new Uint8Array(front.length + compressed.length + trailer.length);
  file.set(front, 0);
  file.set(compressed, front.length);
  file.set(trailer, front.length + compressed.length);
  writeFileSync(out, file);
  chmodSync(out, 0o755);
}
