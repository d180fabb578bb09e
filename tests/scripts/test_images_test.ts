// scripts/test-images: the busybox and pause images the runtime tests run, built from Debian packages as
// OCI image-layout tarballs whose blobs, names and contents are what containerd's importer and CRI expect.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

const script = new URL("../../scripts/test-images", import.meta.url).pathname;

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: { architecture: string; os: string };
}

/** An unpacked OCI layout: its index, and its blobs checked against their digests. */
function readLayout(tarball: string, into: string) {
  execFileSync("tar", ["-xf", tarball, "-C", into]);
  const blob = (descriptor: Descriptor): Buffer => {
    const bytes = readFileSync(join(into, "blobs", "sha256", descriptor.digest.slice("sha256:".length)));
    assert.equal(`sha256:${createHash("sha256").update(bytes).digest("hex")}`, descriptor.digest);
    assert.equal(bytes.length, descriptor.size);
    return bytes;
  };
  assert.deepEqual(JSON.parse(readFileSync(join(into, "oci-layout"), "utf8")), { imageLayoutVersion: "1.0.0" });
  const index = JSON.parse(readFileSync(join(into, "index.json"), "utf8"));
  const [descriptor] = index.manifests as Descriptor[];
  const manifest = JSON.parse(blob(descriptor).toString());
  const config = JSON.parse(blob(manifest.config).toString());
  const [layer] = manifest.layers as Descriptor[];
  assert.equal(layer.mediaType, "application/vnd.oci.image.layer.v1.tar+gzip");
  const layerTar = gunzipSync(blob(layer));
  assert.equal(`sha256:${createHash("sha256").update(layerTar).digest("hex")}`, config.rootfs.diff_ids[0]);
  return { descriptor, config, layerTar };
}

Deno.test("scripts/test-images: writes busybox:1.36 and K3s's pause image as OCI layouts containerd can import", () => {
  const out = mkdtempSync(join(tmpdir(), "k3s-test-images-test-"));
  try {
    execFileSync(script, [out], { stdio: ["ignore", "ignore", "inherit"] });

    const busybox = readLayout(join(out, "busybox.tar"), mkdtempSync(join(out, "busybox-")));
    assert.equal(busybox.descriptor.annotations?.["io.containerd.image.name"], "docker.io/library/busybox:1.36");
    assert.equal(busybox.descriptor.annotations?.["org.opencontainers.image.ref.name"], "1.36");
    assert.equal(busybox.descriptor.platform?.os, "linux");
    assert.equal(busybox.config.architecture, busybox.descriptor.platform?.architecture);
    assert.deepEqual(busybox.config.config.Cmd, ["sh"]);

    const pause = readLayout(join(out, "pause.tar"), mkdtempSync(join(out, "pause-")));
    assert.equal(pause.descriptor.annotations?.["io.containerd.image.name"], "docker.io/rancher/mirrored-pause:3.6");
    assert.deepEqual(pause.config.config.Entrypoint, ["/pause"]);

    // The root filesystems themselves: busybox with its applets linked, a static pause that runs anywhere.
    const rootfs = mkdtempSync(join(out, "rootfs-"));
    for (const { layerTar } of [busybox, pause]) execFileSync("tar", ["-x", "-C", rootfs], { input: layerTar });
    assert.equal(readlinkSync(join(rootfs, "bin/sh")), "/bin/busybox");
    assert.equal(readlinkSync(join(rootfs, "usr/bin/wget")), "/bin/busybox");
    assert.equal(lstatSync(join(rootfs, "tmp")).mode & 0o7777, 0o1777);
    assert.match(readFileSync(join(rootfs, "etc/passwd"), "utf8"), /^root:x:0:0:/);
    const echo = spawnSync(join(rootfs, "bin/busybox"), ["echo", "busybox runs"], { encoding: "utf8" });
    assert.equal(echo.stdout, "busybox runs\n");
    const file = execFileSync("file", ["-b", join(rootfs, "pause")], { encoding: "utf8" });
    assert.match(file, /statically linked/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

Deno.test("scripts/test-images: without a directory it prints its usage and fails", () => {
  const result = spawnSync(script, [], { encoding: "utf8" });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /^usage: scripts\/test-images DIR/);
});
