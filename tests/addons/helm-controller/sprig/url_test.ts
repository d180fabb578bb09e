// Sprig's urlParse and urlJoin over Go's net/url: parsed parts with the path unescaped and the query raw, and
// URLs rebuilt with Go's escaping.
import { table } from "./support.ts";

const parts = (o: Record<string, string>) => ({
  scheme: "",
  host: "",
  hostname: "",
  path: "",
  query: "",
  opaque: "",
  fragment: "",
  userinfo: "",
  ...o,
});

table("urlParse", [
  {
    name: "splits every part",
    fn: "urlParse",
    args: ["proto://auth@host:80/path?query#fragment"],
    want: parts({
      scheme: "proto",
      host: "host:80",
      hostname: "host",
      path: "/path",
      query: "query",
      fragment: "fragment",
      userinfo: "auth",
    }),
  },
  { name: "a bare word is a path", fn: "urlParse", args: ["something"], want: parts({ path: "something" }) },
  {
    name: "keeps userinfo escaped",
    fn: "urlParse",
    args: ["proto://user:passwor%20d@host:80/path"],
    want: parts({ scheme: "proto", host: "host:80", hostname: "host", path: "/path", userinfo: "user:passwor%20d" }),
  },
  {
    name: "unescapes the path but not the query",
    fn: "urlParse",
    args: ["proto://host:80/pa%20th?key=val%20ue"],
    want: parts({ scheme: "proto", host: "host:80", hostname: "host", path: "/pa th", query: "key=val%20ue" }),
  },
  {
    name: "an IPv6 host loses its brackets in hostname",
    fn: "urlParse",
    args: ["https://[::1]:8443/"],
    want: parts({ scheme: "https", host: "[::1]:8443", hostname: "::1", path: "/" }),
  },
  {
    name: "a scheme without slashes is opaque",
    fn: "urlParse",
    args: ["mailto:someone@example.com"],
    want: parts({ scheme: "mailto", opaque: "someone@example.com" }),
  },
  {
    name: "a bad URL is Go's error",
    fn: "urlParse",
    args: ["http://host/%zz"],
    error: 'unable to parse url: parse "http://host/%zz": invalid URL escape "%zz"',
  },
  {
    name: "a scheme before a rootless path makes it opaque",
    fn: "urlParse",
    args: ["a:b/c"],
    want: parts({ scheme: "a", opaque: "b/c" }),
  },
  {
    name: "a colon in a relative first segment is refused",
    fn: "urlParse",
    args: ["1a:b"],
    error: 'unable to parse url: parse "1a:b": first path segment in URL cannot contain colon',
  },
]);

table("urlJoin", [
  {
    name: "builds a URL from parts",
    fn: "urlJoin",
    args: [{ fragment: "fragment", host: "host:80", path: "/path", query: "query", scheme: "proto" }],
    want: "proto://host:80/path?query#fragment",
  },
  {
    name: "adds userinfo",
    fn: "urlJoin",
    args: [{ fragment: "fragment", host: "host:80", path: "/path", scheme: "proto", userinfo: "ASDJKJSD" }],
    want: "proto://ASDJKJSD@host:80/path#fragment",
  },
  {
    name: "escapes the path",
    fn: "urlJoin",
    args: [{ scheme: "https", host: "example.com", path: "/a b?c" }],
    want: "https://example.com/a%20b%3Fc",
  },
  {
    name: "a non-string part is Sprig's panic",
    fn: "urlJoin",
    args: [{ scheme: 1.5 }],
    error: "unable to parse scheme key, must be of type string, but float64 found",
  },
]);
