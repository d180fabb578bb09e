import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  addonName,
  shouldDisableFile,
  shouldSkipFile,
  skippedNames,
  walkManifests,
} from "../../../controllers/addon/files.ts";

Deno.test("files: an Addon is named after the file name up to its first dot", () => {
  assert.equal(addonName("/m/traefik.yaml"), "traefik");
  assert.equal(addonName("/m/sub/foo.bar.yml"), "foo");
});

Deno.test("files: dotfiles, files a .skip marker names and non-manifests are skipped; extensions in any case count", () => {
  const skips = skippedNames([{ name: "traefik.yaml.skip" }, { name: "ccm.yaml" }] as never);
  assert.deepEqual([...skips], ["traefik.yaml"]);
  assert.equal(shouldSkipFile("traefik.yaml", skips), true);
  assert.equal(shouldSkipFile(".hidden.yaml", skips), true);
  assert.equal(shouldSkipFile("notes.txt", skips), true);
  assert.equal(shouldSkipFile("traefik.yaml.skip", skips), true);
  assert.equal(shouldSkipFile("ccm.YML", skips), false);
  assert.equal(shouldSkipFile("data.Json", skips), false);
});

Deno.test("files: a disabled name matches the file name without its extension, or any sub-directory on its path", () => {
  const disabled = new Set(["traefik", "metrics-server", "a/b"]);
  assert.equal(shouldDisableFile("/m", "/m/traefik.yaml", disabled), true);
  assert.equal(shouldDisableFile("/m", "/m/traefik.yaml.skip", disabled), false);
  assert.equal(shouldDisableFile("/m", "/m/traefik-crd.yaml", disabled), false);
  assert.equal(shouldDisableFile("/m", "/m/metrics-server/service.yaml", disabled), true);
  assert.equal(shouldDisableFile("/m", "/m/a/b/c/x.json", disabled), true);
  assert.equal(shouldDisableFile("/m", "/m/a/x.json", disabled), false);
});

Deno.test("files: the walk finds files recursively in sorted path order, through a symlinked directory", async () => {
  const root = mkdtempSync(join(tmpdir(), "addon-files-"));
  try {
    const base = join(root, "manifests");
    mkdirSync(join(base, "sub"), { recursive: true });
    mkdirSync(join(root, "elsewhere"));
    for (const path of ["b.yaml", "a.yaml", "sub/c.yaml"]) writeFileSync(join(base, path), "");
    writeFileSync(join(root, "elsewhere", "d.yaml"), "");
    symlinkSync(join(root, "elsewhere"), join(base, "linked"));
    const files = await walkManifests(base);
    assert.deepEqual(files.map((f) => [f.path.slice(base.length + 1), f.removeOnDisable]), [
      ["a.yaml", true],
      ["b.yaml", true],
      ["linked/d.yaml", false],
      ["sub/c.yaml", true],
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
