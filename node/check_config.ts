/**
 * `k3s check-config`: does this machine have what the node agent needs? One line per check, in the
 * spirit of K3s's `check-config.sh` (itself moby's): the kernel version, cgroups and their cpu,
 * memory and pids controllers, namespaces, the kernel's container networking (overlay, bridge,
 * br_netfilter, veth, conntrack, NAT, the iptables or nftables family and the xtables matches
 * kube-proxy uses), the iptables/nft programs, containerd and runc, and the CNI plugins. Unlike
 * K3s, which bundles containerd, runc and the CNI plugins, this distribution uses the machine's.
 *
 * A kernel feature counts as present when its module is loaded (`/proc/modules`), built in
 * (`/lib/modules/<release>/modules.builtin`) or enabled in the kernel config (`/proc/config.gz`,
 * `/boot/config-<release>`; `=m` means loadable).
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { release as kernelRelease } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { gunzipSync } from "node:zlib";
import { executable, lookPath } from "../core/cli/lookpath.ts";

/** One line of the report. `fail` is a requirement that is not met; `warn` an optional one. */
export interface CheckResult {
  name: string;
  detail: string;
  status: "pass" | "fail" | "warn";
}

/** Where the checks look (tests point them at a prepared directory tree). */
export interface CheckConfigOptions {
  /** The filesystem root `/proc`, `/sys`, `/lib/modules`, `/boot` and the CNI folders are read under (default `/`). */
  root?: string;
  /** The PATH programs are looked up in (default: this process's, plus the sbin folders). */
  path?: string;
  /** The kernel release (default: `uname -r`). */
  release?: string;
}

/** Kubernetes 1.32's system validators want 4.19 or newer (cgroup v2 needs 4.15). */
const MINIMUM_KERNEL: [number, number] = [4, 19];

/** Where the node agent looks for CNI plugins: Debian's package folder, then the upstream one. */
export const CNI_BIN_DIRS = ["/usr/lib/cni", "/opt/cni/bin"];

/** The CNI plugins the agent's pod network uses. */
export const CNI_PLUGINS = ["bridge", "host-local", "loopback", "portmap"];

interface Feature {
  module: string;
  config: string[];
  /** The family it belongs to when one of several families is enough. */
  family?: "iptables" | "nftables";
  optional?: boolean;
  why?: string;
}

const FEATURES: Feature[] = [
  { module: "overlay", config: ["OVERLAY_FS"], why: "overlayfs snapshotter" },
  { module: "bridge", config: ["BRIDGE"], why: "pod network bridge" },
  { module: "br_netfilter", config: ["BRIDGE_NETFILTER"], why: "filtering bridged pod traffic" },
  { module: "veth", config: ["VETH"], why: "pod network interfaces" },
  { module: "nf_conntrack", config: ["NF_CONNTRACK"] },
  { module: "nf_nat", config: ["NF_NAT"] },
  { module: "ip_tables", config: ["IP_NF_IPTABLES", "IP_NF_IPTABLES_LEGACY"], family: "iptables" },
  { module: "iptable_filter", config: ["IP_NF_FILTER"], family: "iptables" },
  { module: "iptable_nat", config: ["IP_NF_NAT"], family: "iptables" },
  { module: "nf_tables", config: ["NF_TABLES"], family: "nftables" },
  { module: "nft_nat", config: ["NFT_NAT"], family: "nftables" },
  { module: "nft_compat", config: ["NFT_COMPAT"], family: "nftables" },
  { module: "xt_conntrack", config: ["NETFILTER_XT_MATCH_CONNTRACK"] },
  { module: "xt_comment", config: ["NETFILTER_XT_MATCH_COMMENT"] },
  { module: "xt_addrtype", config: ["NETFILTER_XT_MATCH_ADDRTYPE"] },
  { module: "xt_multiport", config: ["NETFILTER_XT_MATCH_MULTIPORT"] },
  { module: "xt_statistic", config: ["NETFILTER_XT_MATCH_STATISTIC"] },
  { module: "xt_MASQUERADE", config: ["NETFILTER_XT_TARGET_MASQUERADE", "IP_NF_TARGET_MASQUERADE"] },
  { module: "vxlan", config: ["VXLAN"], optional: true, why: "multi-node overlay network" },
  { module: "ip_set", config: ["IP_SET"], optional: true, why: "network policy" },
  { module: "xt_physdev", config: ["NETFILTER_XT_MATCH_PHYSDEV"], optional: true, why: "network policy" },
];

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** What the machine says about itself, read once. */
interface Machine {
  root: string;
  release: string;
  mounts: { target: string; type: string; options: string[] }[];
  loaded: Set<string>;
  builtin: Set<string>;
  config: Map<string, string>;
  configFile?: string;
  path: string;
}

const moduleName = (name: string) => name.replaceAll("-", "_");

function readKernelConfig(root: string, release: string): { file?: string; config: Map<string, string> } {
  const candidates = [
    "/proc/config.gz",
    `/boot/config-${release}`,
    `/usr/src/linux-${release}/.config`,
    "/usr/src/linux/.config",
  ];
  for (const candidate of candidates) {
    const file = join(root, candidate);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(file);
    } catch {
      continue;
    }
    const text = bytes[0] === 0x1f && bytes[1] === 0x8b
      ? gunzipSync(bytes).toString("utf8")
      : new TextDecoder().decode(bytes);
    const config = new Map<string, string>();
    for (const match of text.matchAll(/^CONFIG_(\w+)=(\S+)$/gm)) config.set(match[1], match[2]);
    return { file: candidate, config };
  }
  return { config: new Map() };
}

function inspect(options: CheckConfigOptions): Machine {
  const root = options.root ?? "/";
  const release = options.release ?? kernelRelease();
  const mounts = (readText(join(root, "/proc/mounts")) ?? "").split("\n").filter(Boolean).map((line) => {
    const [, target, type, opts] = line.split(" ");
    return { target, type, options: (opts ?? "").split(",") };
  });
  const loaded = new Set(
    (readText(join(root, "/proc/modules")) ?? "").split("\n").filter(Boolean).map((l) => moduleName(l.split(" ")[0])),
  );
  const builtin = new Set(
    (readText(join(root, `/lib/modules/${release}/modules.builtin`)) ?? "").split("\n").filter(Boolean)
      .map((line) => moduleName(line.slice(line.lastIndexOf("/") + 1).replace(/\.ko$/, ""))),
  );
  const { file, config } = readKernelConfig(root, release);
  const sbin = ["/usr/local/sbin", "/usr/sbin", "/sbin"].map((dir) => join(root, dir)).join(":");
  const path = options.path ?? `${process.env.PATH ?? ""}:${sbin}`;
  return { root, release, mounts, loaded, builtin, config, configFile: file, path };
}

function checkKernel(machine: Machine): CheckResult {
  const [major, minor] = machine.release.split(/[.-]/).map(Number);
  const [needMajor, needMinor] = MINIMUM_KERNEL;
  const ok = major > needMajor || (major === needMajor && minor >= needMinor);
  return {
    name: "kernel version",
    detail: `${machine.release} (${needMajor}.${needMinor} or newer needed)`,
    status: ok ? "pass" : "fail",
  };
}

function checkCgroups(machine: Machine): CheckResult[] {
  const at = (target: string) => machine.mounts.find((m) => m.target === target);
  const v2 = at("/sys/fs/cgroup")?.type === "cgroup2";
  const hybrid = !v2 && at("/sys/fs/cgroup/unified")?.type === "cgroup2";
  const v1Mounts = machine.mounts.filter((m) => m.type === "cgroup" && m.target.startsWith("/sys/fs/cgroup/"));
  const variant = v2 ? "v2" : hybrid ? "v1 (hybrid)" : v1Mounts.length > 0 ? "v1" : undefined;
  const results: CheckResult[] = [{
    name: "cgroup hierarchy",
    detail: variant ? `cgroups ${variant} mounted` : "no cgroup filesystem mounted at /sys/fs/cgroup",
    status: variant ? "pass" : "fail",
  }];
  const v2Controllers = (readText(join(machine.root, "/sys/fs/cgroup/cgroup.controllers")) ?? "").trim().split(/\s+/);
  for (const controller of ["cpu", "memory", "pids"]) {
    const present = v2 ? v2Controllers.includes(controller) : v1Mounts.some((m) => m.options.includes(controller));
    results.push({
      name: `cgroup controller ${controller}`,
      detail: present ? `enabled (${v2 ? "v2" : "v1"})` : "missing",
      status: present ? "pass" : "fail",
    });
  }
  return results;
}

function checkNamespaces(machine: Machine): CheckResult[] {
  return ["mnt", "pid", "net", "ipc", "uts"].map((ns) => {
    const present = existsSync(join(machine.root, `/proc/self/ns/${ns}`));
    return { name: `namespace ${ns}`, detail: present ? "enabled" : "missing", status: present ? "pass" : "fail" };
  });
}

/** How a kernel feature is present, or undefined when it is not. */
function presence(machine: Machine, feature: Feature): string | undefined {
  if (machine.loaded.has(moduleName(feature.module))) return "loaded module";
  if (machine.builtin.has(moduleName(feature.module))) return "built-in";
  for (const symbol of feature.config) {
    const value = machine.config.get(symbol);
    if (value === "y") return `built-in (CONFIG_${symbol}=y)`;
    if (value === "m") return `module (CONFIG_${symbol}=m)`;
  }
  if (feature.module === "overlay" && /\toverlay$/m.test(readText(join(machine.root, "/proc/filesystems")) ?? "")) {
    return "built-in (/proc/filesystems)";
  }
  return undefined;
}

function checkFeatures(machine: Machine): CheckResult[] {
  const found = new Map(FEATURES.map((f) => [f.module, presence(machine, f)]));
  const familyComplete = (family: string) =>
    FEATURES.filter((f) => f.family === family).every((f) => found.get(f.module) !== undefined);
  const anyFamily = familyComplete("iptables") || familyComplete("nftables");
  const unknown = machine.loaded.size === 0 && machine.builtin.size === 0 && machine.config.size === 0;
  return FEATURES.map((feature) => {
    const how = found.get(feature.module);
    const need = feature.why ? ` (${feature.why})` : feature.family ? ` (${feature.family} family)` : "";
    if (how) return { name: `kernel ${feature.module}`, detail: how, status: "pass" };
    const spare = feature.optional || (feature.family !== undefined && anyFamily);
    const detail = unknown ? "not found: no /proc/modules, modules.builtin or kernel config to read" : `missing${need}`;
    return { name: `kernel ${feature.module}`, detail, status: spare ? "warn" : "fail" };
  });
}

function versionOf(program: string): string | undefined {
  try {
    const out = execFileSync(program, ["--version"], { timeout: 5000, stdio: ["ignore", "pipe", "ignore"] });
    return out.toString("utf8").split("\n")[0].trim() || undefined;
  } catch {
    return undefined;
  }
}

function checkPrograms(machine: Machine): CheckResult[] {
  const find = (name: string) => lookPath(name, { path: machine.path });
  const iptables = find("iptables");
  const nft = find("nft");
  const results: CheckResult[] = [];
  const firewallMissing = !iptables && !nft;
  if (iptables) {
    const version = versionOf(iptables) ?? "";
    // K3s's check: iptables 1.8.0 to 1.8.3 in nftables mode mishandles rules kube-proxy writes.
    const broken = /v1\.8\.[0-3]\b/.test(version) && !/legacy/.test(version);
    results.push({
      name: "iptables",
      detail: broken
        ? `${iptables} ${version}: should be older than v1.8.0, newer than v1.8.3, or in legacy mode`
        : `${iptables}${version ? ` (${version})` : ""}`,
      status: broken ? "fail" : "pass",
    });
  } else {
    const hint = firewallMissing ? " (apt-get install iptables)" : "";
    results.push({ name: "iptables", detail: `not found on PATH${hint}`, status: firewallMissing ? "fail" : "warn" });
  }
  results.push(
    nft ? { name: "nft", detail: `${nft}${versionOf(nft) ? ` (${versionOf(nft)})` : ""}`, status: "pass" } : {
      name: "nft",
      detail: `not found on PATH${firewallMissing ? " (apt-get install nftables)" : ""}`,
      status: firewallMissing ? "fail" : "warn",
    },
  );
  for (const name of ["containerd", "runc"]) {
    const path = find(name);
    const version = path ? versionOf(path) : undefined;
    results.push(
      path
        ? { name, detail: `${path}${version ? ` (${version})` : ""}`, status: "pass" }
        : { name, detail: "not found on PATH (apt-get install containerd runc)", status: "fail" },
    );
  }
  return results;
}

function checkCniPlugins(machine: Machine): CheckResult[] {
  return CNI_PLUGINS.map((plugin) => {
    const dir = CNI_BIN_DIRS.find((d) => executable(join(machine.root, d, plugin)));
    return dir ? { name: `CNI plugin ${plugin}`, detail: join(dir, plugin), status: "pass" } : {
      name: `CNI plugin ${plugin}`,
      detail: `missing from ${CNI_BIN_DIRS.join(" and ")} (apt-get install containernetworking-plugins)`,
      status: "fail",
    };
  });
}

/** The report's sections, in order. */
export interface CheckConfigReport {
  sections: { title: string; results: CheckResult[] }[];
  /** Where the kernel config was read from, if anywhere. */
  kernelConfig?: string;
}

/**
 * Run every check against this machine (or the tree under `options.root`).
 *
 * @example
 * ```ts
 * const report = checkConfig();
 * console.log(renderCheckConfig(report).text);
 * ```
 */
export function checkConfig(options: CheckConfigOptions = {}): CheckConfigReport {
  const machine = inspect(options);
  return {
    sections: [
      { title: "Kernel", results: [checkKernel(machine), ...checkNamespaces(machine)] },
      { title: "Cgroups", results: checkCgroups(machine) },
      { title: "Kernel features", results: checkFeatures(machine) },
      { title: "Programs", results: checkPrograms(machine) },
      { title: "CNI plugins", results: checkCniPlugins(machine) },
    ],
    kernelConfig: machine.configFile,
  };
}

/**
 * The report as K3s prints it: `- name: detail` per check, `(fail)` after an unmet requirement and
 * `(warn)` after a missing optional feature, then `STATUS: pass` or `STATUS: <failures> (fail)`.
 *
 * @example
 * ```ts
 * const { text, failures } = renderCheckConfig(checkConfig());
 * process.exitCode = failures > 0 ? 1 : 0;
 * ```
 */
export function renderCheckConfig(report: CheckConfigReport): { text: string; failures: number } {
  const lines: string[] = [];
  if (report.kernelConfig) lines.push(`info: reading kernel config from ${report.kernelConfig}`, "");
  let failures = 0;
  for (const section of report.sections) {
    lines.push(`${section.title}:`);
    for (const result of section.results) {
      if (result.status === "fail") failures++;
      const mark = result.status === "pass" ? "" : ` (${result.status})`;
      lines.push(`- ${result.name}: ${result.detail}${mark}`);
    }
    lines.push("");
  }
  lines.push(failures === 0 ? "STATUS: pass" : `STATUS: ${failures} (fail)`);
  return { text: `${lines.join("\n")}\n`, failures };
}
