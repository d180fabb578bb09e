import assert from "node:assert/strict";
import { sourceTreeReads, stampCommit } from "../../../scripts/build/bundle.ts";

Deno.test("bundle: the commit is stamped into the one GIT_COMMIT declaration", () => {
  const code = 'var GIT_COMMIT = "dev";\nfunction versionText() {\n  return `(${GIT_COMMIT})`;\n}\n';
  assert.equal(stampCommit(code, "1a2b3c4d"), code.replace('"dev"', '"1a2b3c4d"'));
});

Deno.test("bundle: a renamed GIT_COMMIT (the bundler's GIT_COMMIT2) is stamped too", () => {
  assert.equal(stampCommit('var GIT_COMMIT2 = "dev";', "1a2b3c4d"), 'var GIT_COMMIT2 = "1a2b3c4d";');
});

Deno.test("bundle: two GIT_COMMIT declarations are refused", () => {
  assert.throws(() => stampCommit('var GIT_COMMIT = "dev";\nvar GIT_COMMIT2 = "dev";', "1a2b3c4d"), /found 2/);
});

Deno.test("bundle: a first-party module locating files next to its source is named with the line", () => {
  const code = [
    "// core/server/manifests.ts",
    'const text = readFileSync(new URL("./coredns.yaml", import.meta.url), "utf8");',
    "// core/server/paths.ts",
    "const dir = import.meta.dirname;",
  ].join("\n");
  assert.deepEqual(sourceTreeReads(code), [
    'core/server/manifests.ts: const text = readFileSync(new URL("./coredns.yaml", import.meta.url), "utf8");',
    "core/server/paths.ts: const dir = import.meta.dirname;",
  ]);
});

Deno.test("bundle: npm packages, comments and the bundler's require shim are not source-tree reads", () => {
  const code = [
    "var __require = __deno_internal_createRequire(import.meta.url);",
    "// node_modules/.deno/@grpc+grpc-js@1.14.7/node_modules/@grpc/grpc-js/build/src/channelz.js",
    "includeDirs: [`${__dirname}/../../proto`]",
    "// core/version.ts",
    "  * program.nameFromFilename(import.meta.filename);",
    "// `import.meta.url` names the module",
    "const main = import.meta.main;",
  ].join("\n");
  assert.deepEqual(sourceTreeReads(code), []);
});
