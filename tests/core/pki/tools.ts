/**
 * Running the machine's real TLS tools (openssl, curl, kubectl) from tests.
 *
 * ```ts
 * const { code, stdout } = await run("openssl", ["verify", "-CAfile", "ca.crt", "leaf.crt"]);
 * ```
 *
 * @module
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Exit code and decoded output of a finished command. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run a program to completion (never through a shell). */
export async function run(
  program: string,
  args: string[],
  options: { env?: Record<string, string> } = {},
): Promise<RunResult> {
  const { code, stdout, stderr } = await new Deno.Command(program, { args, env: options.env, stdin: "null" }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code, stdout: decode(stdout), stderr: decode(stderr) };
}

/** `openssl x509 -noout -text` of a certificate file (the first certificate in it). */
export async function opensslText(path: string): Promise<string> {
  const result = await run("openssl", ["x509", "-noout", "-text", "-in", path]);
  if (result.code !== 0) throw new Error(`openssl x509 failed: ${result.stderr}`);
  return result.stdout;
}

/** `openssl verify -CAfile ca cert`: resolves to openssl's verdict line. */
export async function opensslVerify(caPath: string, certPath: string): Promise<string> {
  const result = await run("openssl", ["verify", "-CAfile", caPath, certPath]);
  return (result.stdout + result.stderr).trim();
}

/** A fresh temporary directory for one test. */
export function tempDir(prefix = "k3s-pki-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
