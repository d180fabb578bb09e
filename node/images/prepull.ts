/**
 * K3s's pre-pull lists: a `.txt` file in the images directory names images, one a line, that the agent
 * pulls unless containerd has them already.
 *
 * @module
 */
import type { CriClient } from "../cri/client.ts";

/**
 * Pull every image named in `text` that is not present; a failed pull is logged and the rest go on, as in
 * K3s. Resolves to the names listed.
 *
 * @example
 * ```ts
 * await prePullImages(cri, "docker.io/library/busybox:1.36\n", console.log);
 * ```
 */
export async function prePullImages(cri: CriClient, text: string, log: (line: string) => void): Promise<string[]> {
  const names = text.split("\n").map((line) => line.trim()).filter((line) => line !== "");
  for (const image of names) {
    const status = await cri.imageStatus({ image });
    if (status.image) continue;
    log(`Pulling image ${image}...`);
    try {
      await cri.pullImage({ image });
    } catch (error) {
      log(`Failed to pull ${image}: ${(error as Error).message}`);
    }
  }
  return names;
}
