// Sprig's path functions: Go's path package (and filepath, the same on Linux).
import { table } from "./support.ts";

table("paths", [
  { name: "base", fn: "base", args: ["foo/bar"], want: "bar" },
  { name: "base ignores trailing slashes", fn: "base", args: ["foo/bar//"], want: "bar" },
  { name: "base of only slashes", fn: "base", args: ["///"], want: "/" },
  { name: "base of nothing", fn: "base", args: [""], want: "." },
  { name: "dir", fn: "dir", args: ["foo/bar/baz"], want: "foo/bar" },
  { name: "dir of a name", fn: "dir", args: ["baz"], want: "." },
  { name: "clean", fn: "clean", args: ["/foo/../foo/../bar"], want: "/bar" },
  { name: "clean keeps leading .. of a relative path", fn: "clean", args: ["a/../../b/./c/"], want: "../b/c" },
  { name: "clean cannot climb above the root", fn: "clean", args: ["/../x"], want: "/x" },
  { name: "ext", fn: "ext", args: ["/foo/bar/baz.txt"], want: ".txt" },
  { name: "ext of a dotted directory", fn: "ext", args: ["a.d/b"], want: "" },
  { name: "isAbs", fn: "isAbs", args: ["/foo"], want: true },
  { name: "isAbs of a relative path", fn: "isAbs", args: ["foo"], want: false },
  { name: "osBase", fn: "osBase", args: ["/a/b.c"], want: "b.c" },
  { name: "osDir", fn: "osDir", args: ["/a/b.c"], want: "/a" },
  { name: "osClean", fn: "osClean", args: ["a//b"], want: "a/b" },
  { name: "osExt", fn: "osExt", args: ["b.tar.gz"], want: ".gz" },
  { name: "osIsAbs", fn: "osIsAbs", args: ["/"], want: true },
]);
