// Sprig's Base64 and Base32 functions: Go's padded standard encodings, and decoding errors returned as the
// result text, as Sprig does.
import { table } from "./support.ts";

table("encoding", [
  { name: "b64enc", fn: "b64enc", args: ["coffee"], want: "Y29mZmVl" },
  { name: "b64enc pads", fn: "b64enc", args: ["hello"], want: "aGVsbG8=" },
  { name: "b64enc encodes UTF-8 bytes", fn: "b64enc", args: ["é"], want: "w6k=" },
  { name: "b64dec", fn: "b64dec", args: ["aGVsbG8="], want: "hello" },
  { name: "b64dec skips newlines", fn: "b64dec", args: ["aGVs\nbG8="], want: "hello" },
  {
    name: "b64dec of bad input is Go's error text",
    fn: "b64dec",
    args: ["aGVsbG8"],
    want: "illegal base64 data at input byte 4",
  },
  { name: "b64dec names the bad byte", fn: "b64dec", args: ["a!=="], want: "illegal base64 data at input byte 1" },
  { name: "b32enc", fn: "b32enc", args: ["coffee"], want: "MNXWMZTFMU======" },
  { name: "b32dec", fn: "b32dec", args: ["MNXWMZTFMU======"], want: "coffee" },
  {
    name: "b32dec of bad input is Go's error text",
    fn: "b32dec",
    args: ["MNXWMZTFMU"],
    want: "illegal base32 data at input byte 8",
  },
]);
