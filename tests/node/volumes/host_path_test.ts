// hostPath type checks: the `…OrCreate` types create what is missing, the others fail with the kubelet's words.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkHostPath, type HostPathType, VolumeError } from "../../../node/volumes/mod.ts";

async function inTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "host-path-"));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function fails(path: string, type: HostPathType, message: string): Promise<void> {
  await assert.rejects(checkHostPath(path, type), (e) => e instanceof VolumeError && e.message === message);
}

Deno.test("checkHostPath creates a missing directory for DirectoryOrCreate", async () => {
  await inTempDir(async (dir) => {
    await checkHostPath(join(dir, "a/b"), "DirectoryOrCreate");
    assert.equal(statSync(join(dir, "a/b")).isDirectory(), true);
  });
});

Deno.test("checkHostPath creates a missing file for FileOrCreate but not its parent", async () => {
  await inTempDir(async (dir) => {
    await checkHostPath(join(dir, "f"), "FileOrCreate");
    assert.equal(statSync(join(dir, "f")).isFile(), true);
    await assert.rejects(checkHostPath(join(dir, "missing/f"), "FileOrCreate"), VolumeError);
  });
});

Deno.test("checkHostPath rejects paths of the wrong kind", async () => {
  await inTempDir(async (dir) => {
    writeFileSync(join(dir, "file"), "");
    await fails(join(dir, "file"), "Directory", `hostPath type check failed: ${dir}/file is not a directory`);
    await fails(join(dir, "file"), "DirectoryOrCreate", `hostPath type check failed: ${dir}/file is not a directory`);
    await fails(dir, "File", `hostPath type check failed: ${dir} is not a file`);
    await fails(dir, "FileOrCreate", `hostPath type check failed: ${dir} is not a file`);
    await fails(join(dir, "nothing"), "Directory", `hostPath type check failed: ${dir}/nothing is not a directory`);
    await fails(dir, "Socket", `hostPath type check failed: ${dir} is not a socket file`);
    await fails(dir, "CharDevice", `hostPath type check failed: ${dir} is not a character device`);
    await fails(dir, "BlockDevice", `hostPath type check failed: ${dir} is not a block device`);
  });
});

Deno.test("checkHostPath accepts what matches and anything for the unset type", async () => {
  await inTempDir(async (dir) => {
    await checkHostPath("/dev/null", "CharDevice");
    await checkHostPath(dir, "Directory");
    await checkHostPath(join(dir, "nothing"), "");
    assert.equal(statSync(join(dir, "nothing"), { throwIfNoEntry: false }), undefined);
  });
});

Deno.test("checkHostPath refuses backsteps and unknown types", async () => {
  await fails("/var/../etc", "", "invalid HostPath `/var/../etc`: must not contain '..'");
  await fails("/tmp", "Pipe" as HostPathType, "Pipe is an invalid volume type");
});
