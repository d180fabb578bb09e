import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { checkConfig, type CheckConfigOptions, renderCheckConfig } from "../../node/check_config.ts";

const root = new URL("../..", import.meta.url).pathname;

const ALL_CONFIG = [
  "OVERLAY_FS",
  "BRIDGE",
  "BRIDGE_NETFILTER",
  "VETH",
  "NF_CONNTRACK",
  "NF_NAT",
  "IP_NF_IPTABLES",
  "IP_NF_FILTER",
  "IP_NF_NAT",
  "NF_TABLES",
  "NFT_NAT",
  "NFT_COMPAT",
  "NETFILTER_XT_MATCH_CONNTRACK",
  "NETFILTER_XT_MATCH_COMMENT",
  "NETFILTER_XT_MATCH_ADDRTYPE",
  "NETFILTER_XT_MATCH_MULTIPORT",
  "NETFILTER_XT_MATCH_STATISTIC",
  "NETFILTER_XT_TARGET_MASQUERADE",
  "VXLAN",
  "IP_SET",
  "NETFILTER_XT_MATCH_PHYSDEV",
];

interface Machine {
  cgroupControllers?: string;
  config?: Record<string, string>;
  programs?: Record<string, string>;
  cniPlugins?: string[];
}

function write(path: string, content: string | Uint8Array, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  chmodSync(path, mode);
}

/** A machine's /proc, /sys, kernel config, programs and CNI folder laid out under a fresh directory. */
function machine(spec: Machine = {}): CheckConfigOptions {
  const dir = mkdtempSync(join(tmpdir(), "k3s-check-config-"));
  write(join(dir, "proc/mounts"), "cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime 0 0\n");
  write(join(dir, "sys/fs/cgroup/cgroup.controllers"), spec.cgroupControllers ?? "cpuset cpu io memory pids\n");
  for (const ns of ["mnt", "pid", "net", "ipc", "uts"]) write(join(dir, "proc/self/ns", ns), "");
  const config = spec.config ?? Object.fromEntries(ALL_CONFIG.map((symbol) => [symbol, "y"]));
  const text = Object.entries(config).map(([symbol, value]) => `CONFIG_${symbol}=${value}\n`).join("");
  write(join(dir, "proc/config.gz"), gzipSync(`# Linux kernel config\n${text}`));
  const programs = spec.programs ?? {
    iptables: "iptables v1.8.9 (nf_tables)",
    nft: "nftables v1.0.6 (Lester Gooch #5)",
    containerd: "containerd github.com/containerd/containerd 1.6.20~ds1",
    runc: "runc version 1.1.5+ds1",
  };
  for (const [name, version] of Object.entries(programs)) {
    write(join(dir, "bin", name), `#!/bin/sh\necho '${version}'\n`, 0o755);
  }
  for (const plugin of spec.cniPlugins ?? ["bridge", "host-local", "loopback", "portmap"]) {
    write(join(dir, "usr/lib/cni", plugin), "#!/bin/sh\n", 0o755);
  }
  return { root: dir, path: join(dir, "bin"), release: "6.1.0-28-amd64" };
}

function lines(options: CheckConfigOptions): string[] {
  return renderCheckConfig(checkConfig(options)).text.split("\n");
}

Deno.test("check-config: a machine with everything the agent needs passes every check", () => {
  const options = machine();
  const { text, failures } = renderCheckConfig(checkConfig(options));
  assert.equal(failures, 0, text);
  assert.doesNotMatch(text, /\((fail|warn)\)$/m);
  assert.match(text, /^- kernel version: 6\.1\.0-28-amd64 \(4\.19 or newer needed\)$/m);
  assert.match(text, /^- cgroup hierarchy: cgroups v2 mounted$/m);
  assert.match(text, /^- kernel br_netfilter: built-in \(CONFIG_BRIDGE_NETFILTER=y\)$/m);
  assert.match(
    text,
    /^- containerd: .*\/bin\/containerd \(containerd github\.com\/containerd\/containerd 1\.6\.20~ds1\)$/m,
  );
  assert.match(text, /^- CNI plugin portmap: \/usr\/lib\/cni\/portmap$/m);
  assert.match(text, /\nSTATUS: pass\n$/);
});

Deno.test("check-config: an old kernel, a missing pids controller and a missing plugin each fail their line", () => {
  const options = { ...machine({ cgroupControllers: "cpu memory", cniPlugins: ["bridge", "loopback", "portmap"] }) };
  const report = renderCheckConfig(checkConfig({ ...options, release: "4.4.0-210-generic" }));
  assert.equal(report.failures, 3, report.text);
  assert.match(report.text, /^- kernel version: 4\.4\.0-210-generic \(4\.19 or newer needed\) \(fail\)$/m);
  assert.match(report.text, /^- cgroup controller pids: missing \(fail\)$/m);
  assert.match(report.text, /^- CNI plugin host-local: missing from \/usr\/lib\/cni and \/opt\/cni\/bin .*\(fail\)$/m);
  assert.match(report.text, /\nSTATUS: 3 \(fail\)\n$/);
});

Deno.test("check-config: a feature built as a module passes; one missing family is fine while the other is whole", () => {
  const config = Object.fromEntries(ALL_CONFIG.map((symbol) => [symbol, "y"]));
  config.BRIDGE_NETFILTER = "m";
  delete config.NF_TABLES;
  delete config.VXLAN;
  const out = lines(machine({ config }));
  assert.ok(out.includes("- kernel br_netfilter: module (CONFIG_BRIDGE_NETFILTER=m)"), out.join("\n"));
  assert.ok(out.includes("- kernel nf_tables: missing (nftables family) (warn)"), out.join("\n"));
  assert.ok(out.includes("- kernel vxlan: missing (multi-node overlay network) (warn)"), out.join("\n"));
  assert.ok(out.includes("STATUS: pass"));
});

Deno.test("check-config: iptables 1.8.0 to 1.8.3 in nftables mode fails as K3s's check does", () => {
  const out = lines(machine({
    programs: { iptables: "iptables v1.8.2 (nf_tables)", containerd: "containerd 1.7", runc: "runc version 1.1" },
  }));
  assert.ok(
    out.some((l) => /^- iptables: .* v1\.8\.2 \(nf_tables\): should be older than v1\.8\.0, .*\(fail\)$/.test(l)),
    out.join("\n"),
  );
  assert.ok(out.includes("- nft: not found on PATH (warn)"), out.join("\n"));
});

Deno.test("check-config: k3s check-config prints one line per check and exits 1 exactly when one fails", async () => {
  const { code, stdout } = await new Deno.Command(join(root, "scripts/k3s"), { args: ["check-config"] }).output();
  const text = new TextDecoder().decode(stdout);
  const report = checkConfig();
  const checks = report.sections.flatMap((s) => s.results);
  const printed = text.split("\n").filter((l) => l.startsWith("- "));
  assert.equal(printed.length, checks.length, text);
  for (const [i, check] of checks.entries()) assert.ok(printed[i].startsWith(`- ${check.name}: `), printed[i]);
  const failed = checks.some((c) => c.status === "fail");
  assert.equal(code, failed ? 1 : 0, text);
  assert.match(text, failed ? /\nSTATUS: \d+ \(fail\)\n$/ : /\nSTATUS: pass\n$/);
});
