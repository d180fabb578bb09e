/**
 * kubectl 1.32 as the reference implementation: `kubectl patch --local --type=strategic` applies a strategic
 * merge patch to a file with apimachinery and kubectl's compiled-in Go types, without any server.
 *
 * @module
 */
import { HAVE_KUBECTL, KUBECTL } from "../discovery/fake_apiserver.ts";

export { HAVE_KUBECTL };

/** What kubectl made of a patch: the patched object, or its error message without the `error: ` prefix. */
export type Outcome = { value: unknown } | { error: string };

/**
 * Apply `patch` to `object` with the real kubectl; `object` needs apiVersion and kind.
 *
 * @example
 * ```ts
 * await kubectlPatchLocal(pod, { spec: { containers: [{ name: "c", image: "x" }] } }); // { value: {...} }
 * ```
 */
export async function kubectlPatchLocal(object: unknown, patch: unknown): Promise<Outcome> {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/object.json`, JSON.stringify(object));
    const { code, stdout, stderr } = await new Deno.Command(KUBECTL, {
      args: [
        "patch",
        "--local",
        "--type=strategic",
        "-p",
        JSON.stringify(patch),
        "-f",
        `${dir}/object.json`,
        "-o",
        "json",
      ],
      env: { KUBECONFIG: "/dev/null", HOME: dir },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    if (code !== 0) return { error: text(stderr).replace(/^error: /, "").trim() };
    return { value: JSON.parse(text(stdout)) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * Our result in the same shape.
 *
 * @example
 * ```ts
 * outcome(() => strategicMergePatch(pod, patch, meta)); // { value: {...} } or { error: "..." }
 * ```
 */
export function outcome(apply: () => unknown): Outcome {
  try {
    return { value: apply() };
  } catch (error) {
    return { error: (error as Error).message.trim() };
  }
}
