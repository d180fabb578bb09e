// K3s's air-gap images directory: which files count, the record of imported files, and — as root, with a
// real containerd — importing OCI layouts and docker-archives (plain, gzip, zstd) at start and when they
// appear, not importing twice, and reporting a bad file.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CriClient } from "../../../node/cri/mod.ts";
import {
  CACHE_FILE,
  imageFileKind,
  type ImageImporterOptions,
  imagesDir,
  ImportCache,
  startImageImporter,
} from "../../../node/images/mod.ts";
import { eventually, explainSkip, RUNTIME_TESTS, testImages, withContainerd } from "../containerd/testenv.ts";

explainSkip("tests/node/images");

const BUSYBOX = "docker.io/library/busybox:1.36";
const PAUSE = "docker.io/rancher/mirrored-pause:3.6";

async function tags(cri: CriClient): Promise<string[]> {
  return (await cri.listImages()).flatMap((image) => image.repo_tags).sort();
}

/** The busybox test image repacked as `docker save` writes it, under another tag. */
function dockerArchive(target: string, tag: string): void {
  const dir = mkdtempSync(join(tmpdir(), "k3s-docker-archive-"));
  try {
    execFileSync("tar", ["-xf", join(testImages(), "busybox.tar"), "-C", dir]);
    const blob = (digest: string) => `blobs/sha256/${digest.slice("sha256:".length)}`;
    const index = JSON.parse(readFileSync(join(dir, "index.json"), "utf8"));
    const manifest = JSON.parse(readFileSync(join(dir, blob(index.manifests[0].digest)), "utf8"));
    const saved = [{
      Config: blob(manifest.config.digest),
      RepoTags: [tag],
      Layers: manifest.layers.map((layer: { digest: string }) => blob(layer.digest)),
    }];
    writeFileSync(join(dir, "manifest.json"), JSON.stringify(saved));
    execFileSync("tar", ["-cf", target, "-C", dir, "manifest.json", "blobs"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function importerOptions(dir: string, address: string, log: string[]): ImageImporterOptions {
  return { dir, address, settleMs: 0, resyncMs: 3_600_000, log: (line) => log.push(line) };
}

Deno.test("image files: tarballs by suffix, compressed or not, and .txt pull lists; anything else is left alone", () => {
  assert.deepEqual(imageFileKind("pause.tar"), { kind: "archive", compression: "none" });
  assert.deepEqual(imageFileKind("images.TAR.GZ"), { kind: "archive", compression: "gzip" });
  assert.deepEqual(imageFileKind("images.tgz"), { kind: "archive", compression: "gzip" });
  assert.deepEqual(imageFileKind("k3s-airgap-images-amd64.tar.zst"), { kind: "archive", compression: "zstd" });
  assert.deepEqual(imageFileKind("images.tzst"), { kind: "archive", compression: "zstd" });
  assert.deepEqual(imageFileKind("images.tar.bz2"), { kind: "archive", compression: "bzip2" });
  assert.deepEqual(imageFileKind("images.tar.lz4"), { kind: "archive", compression: "lz4" });
  assert.deepEqual(imageFileKind("prepull.txt"), { kind: "list" });
  assert.equal(imageFileKind("notes.md"), undefined);
  assert.equal(imageFileKind("images.tar.partial"), undefined);
  assert.equal(imagesDir("/var/lib/rancher/k3s"), "/var/lib/rancher/k3s/agent/images");
});

Deno.test("import cache: records survive a reload and removal; an unreadable or foreign file counts as empty", () => {
  const dir = mkdtempSync(join(tmpdir(), "k3s-images-"));
  try {
    const cache = new ImportCache(dir);
    cache.set("a.tar", { size: 10, mtimeMs: 1000, images: [BUSYBOX] });
    cache.set("b.tar", { size: 20, mtimeMs: 2000, images: [] });
    cache.delete("b.tar");
    const reloaded = new ImportCache(dir);
    assert.deepEqual(reloaded.get("a.tar"), { size: 10, mtimeMs: 1000, images: [BUSYBOX] });
    assert.equal(reloaded.get("b.tar"), undefined);

    writeFileSync(join(dir, CACHE_FILE), JSON.stringify({ "a.tar": { Size: 10, ModTime: "2025-01-01" } }));
    assert.equal(new ImportCache(dir).get("a.tar"), undefined);
    writeFileSync(join(dir, CACHE_FILE), "{ not json");
    assert.equal(new ImportCache(dir).get("a.tar"), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Deno.test({
  name: "images importer: every tarball present at start is imported — OCI layout, docker-archive, gzip and zstd",
  ignore: !RUNTIME_TESTS,
  fn: () =>
    withContainerd(async ({ dataDir, containerd, cri }) => {
      const dir = imagesDir(dataDir);
      mkdirSync(dir, { recursive: true });
      copyFileSync(join(testImages(), "pause.tar"), join(dir, "pause.tar"));
      execFileSync("sh", ["-c", `gzip -c "$0" > "$1"`, join(testImages(), "busybox.tar"), join(dir, "busybox.tar.gz")]);
      const docker = join(dataDir, "docker.tar");
      dockerArchive(docker, "docker.io/library/busybox:docker-archive");
      execFileSync("zstd", ["-q", docker, "-o", join(dir, "busybox-docker.tar.zst")]);
      writeFileSync(join(dir, "README"), "not an image");

      const log: string[] = [];
      const importer = await startImageImporter(importerOptions(dir, containerd.address, log));
      try {
        assert.deepEqual(await tags(cri), ["docker.io/library/busybox:docker-archive", BUSYBOX, PAUSE].sort());
        for (const file of ["busybox-docker.tar.zst", "busybox.tar.gz", "pause.tar"]) {
          assert.ok(log.includes(`Importing images from ${join(dir, file)}`), log.join("\n"));
        }
        assert.ok(log.includes(`Imported ${BUSYBOX}`));
        assert.ok(log.some((line) => line.startsWith(`Imported images from ${join(dir, "pause.tar")} in `)));
        // The sandbox image is there, so CRI can run pods right away.
        assert.ok((await cri.imageStatus({ image: "rancher/mirrored-pause:3.6" })).image);
      } finally {
        await importer.stop();
      }
    }),
});

Deno.test({
  name: "images importer: a tarball that appears while it runs is imported",
  ignore: !RUNTIME_TESTS,
  fn: () =>
    withContainerd(async ({ dataDir, containerd, cri }) => {
      const dir = imagesDir(dataDir);
      mkdirSync(dir, { recursive: true });
      const log: string[] = [];
      const importer = await startImageImporter({ ...importerOptions(dir, containerd.address, log), settleMs: 300 });
      try {
        assert.deepEqual(await tags(cri), []);
        // Copied under a name the importer ignores, then renamed into place, as a careful operator does.
        copyFileSync(join(testImages(), "busybox.tar"), join(dir, "busybox.tar.partial"));
        renameSync(join(dir, "busybox.tar.partial"), join(dir, "busybox.tar"));
        await eventually(async () => (await tags(cri)).includes(BUSYBOX), "busybox imported after it appeared");
        copyFileSync(join(testImages(), "pause.tar"), join(dir, "pause.tar"));
        await eventually(async () => (await tags(cri)).includes(PAUSE), "pause imported after it was copied in");
      } finally {
        await importer.stop();
      }
    }),
});

Deno.test({
  name: "images importer: an unchanged file is not imported again after a restart, unless containerd lost its images",
  ignore: !RUNTIME_TESTS,
  fn: () =>
    withContainerd(async ({ dataDir, containerd, cri }) => {
      const dir = imagesDir(dataDir);
      mkdirSync(dir, { recursive: true });
      copyFileSync(join(testImages(), "pause.tar"), join(dir, "pause.tar"));
      const run = async () => {
        const log: string[] = [];
        await (await startImageImporter(importerOptions(dir, containerd.address, log))).stop();
        return log;
      };
      assert.ok((await run()).includes(`Importing images from ${join(dir, "pause.tar")}`));
      const record = JSON.parse(readFileSync(join(dir, CACHE_FILE), "utf8"))["pause.tar"];
      assert.deepEqual(record.images, [PAUSE]);

      assert.deepEqual(await run(), [`Skipping ${join(dir, "pause.tar")}: unchanged since its images were imported`]);

      await cri.removeImage({ image: PAUSE });
      assert.ok((await run()).includes(`Importing images from ${join(dir, "pause.tar")}`));
      assert.deepEqual(await tags(cri), [PAUSE]);
    }),
});

Deno.test({
  name: "images importer: a pre-pull list of images already present pulls nothing",
  ignore: !RUNTIME_TESTS,
  fn: () =>
    withContainerd(async ({ dataDir, containerd }) => {
      const dir = imagesDir(dataDir);
      mkdirSync(dir, { recursive: true });
      copyFileSync(join(testImages(), "busybox.tar"), join(dir, "busybox.tar"));
      writeFileSync(join(dir, "prepull.txt"), `${BUSYBOX}\n\n  busybox:1.36  \n`);
      const log: string[] = [];
      await (await startImageImporter(importerOptions(dir, containerd.address, log))).stop();
      assert.ok(
        log.some((line) => line.startsWith(`Imported images from ${join(dir, "prepull.txt")}`)),
        log.join("\n"),
      );
      assert.ok(!log.some((line) => line.startsWith("Pulling image")), log.join("\n"));
      const record = JSON.parse(readFileSync(join(dir, CACHE_FILE), "utf8"))["prepull.txt"];
      assert.deepEqual(record.images, [BUSYBOX, "busybox:1.36"]);
    }),
});

Deno.test({
  name: "images importer: a file that is no image archive is reported, and retried with back-off",
  ignore: !RUNTIME_TESTS,
  fn: () =>
    withContainerd(async ({ dataDir, containerd }) => {
      const dir = imagesDir(dataDir);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "broken.tar"), "this is not a tarball");
      const log: string[] = [];
      const importer = await startImageImporter(importerOptions(dir, containerd.address, log));
      try {
        const failure = new RegExp(`^Failed to import images from ${join(dir, "broken.tar")}: .+; retrying in 1s$`);
        assert.ok(log.some((line) => failure.test(line)), log.join("\n"));
        await eventually(() => log.some((line) => line.endsWith("retrying in 2s")), "the second try backs off further");
      } finally {
        await importer.stop();
      }
    }),
});
