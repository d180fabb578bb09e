// The committed generated tables are exactly what scripts/gen-registry.ts makes from the reference swagger.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";

const root = new URL("../../../", import.meta.url).pathname;
const swagger = `${root}../shared/data/kubernetes-1.32-swagger.json`;

Deno.test({
  name: "registry: generated files are up to date with the generator",
  ignore: !existsSync(swagger),
  async fn() {
    const out = await Deno.makeTempDir();
    try {
      const { code, stderr } = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", `${root}scripts/gen-registry.ts`, swagger, out],
        stdout: "null",
      }).output();
      assert.equal(code, 0, new TextDecoder().decode(stderr));
      for (const file of ["resources.ts", "openapi.ts"]) {
        const fresh = readFileSync(`${out}/${file}`, "utf8");
        const committed = readFileSync(`${root}core/registry/generated/${file}`, "utf8");
        assert.ok(fresh === committed, `core/registry/generated/${file} is stale: run scripts/gen-registry.ts`);
      }
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});
