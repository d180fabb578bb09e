/**
 * Images for containers, from the node's local store only (this agent never pulls: images come from the air-gap
 * directory): `imagePullPolicy` decides nothing but the wording of the error when the image is missing.
 *
 * @module
 */
import type { CriClient } from "../cri/mod.ts";
import type { Container } from "./pod.ts";

/** A container's image problem, as kubelet reports it in the container's waiting state. */
export interface ImageProblem {
  reason: "ErrImagePull" | "ErrImageNeverPull" | "InvalidImageName";
  message: string;
}

/**
 * The image reference as containerd names it: Docker Hub short names get `docker.io/library/`, and `:latest` when
 * no tag or digest is given.
 *
 * @example
 * ```ts
 * normalizeImage("busybox:1.36"); // "docker.io/library/busybox:1.36"
 * normalizeImage("ghcr.io/org/app"); // "ghcr.io/org/app:latest"
 * ```
 */
export function normalizeImage(image: string): string {
  let name = image;
  const first = name.split("/")[0];
  const hasRegistry = name.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  if (!hasRegistry) name = `docker.io/${name.includes("/") ? name : `library/${name}`}`;
  const last = name.slice(name.lastIndexOf("/") + 1);
  if (!last.includes(":") && !name.includes("@")) name += ":latest";
  return name;
}

/**
 * The image ID of `container`'s image in the local store, or the problem to report.
 *
 * @example
 * ```ts
 * const found = await ensureImage(runtime, container, "/var/lib/rancher/k3s/agent/images");
 * if ("reason" in found) waiting(found.reason, found.message);
 * ```
 */
export async function ensureImage(
  runtime: CriClient,
  container: Container,
  imagesDir: string,
): Promise<{ imageRef: string; image: string } | ImageProblem> {
  const image = container.image ?? "";
  if (!image || /\s/.test(image)) {
    return {
      reason: "InvalidImageName",
      message: `Failed to apply default image tag "${image}": invalid reference format`,
    };
  }
  const status = await runtime.imageStatus({ image: normalizeImage(image) });
  if (status.image?.id) return { imageRef: status.image.id, image: normalizeImage(image) };
  if (container.imagePullPolicy === "Never") {
    return {
      reason: "ErrImageNeverPull",
      message: `Container image "${image}" is not present with pull policy of Never`,
    };
  }
  return {
    reason: "ErrImagePull",
    message: `image "${image}" is not present on this node and this agent does not pull images: ` +
      `put its tarball into ${imagesDir}`,
  };
}
