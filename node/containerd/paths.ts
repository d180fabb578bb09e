/**
 * Where K3s keeps the agent's containerd: its config under `<data-dir>/agent/etc/containerd/`, its root
 * (images, snapshots, metadata) and log under `<data-dir>/agent/containerd/`, its state and socket under
 * `/run/k3s/containerd/`, and the CNI configuration under `<data-dir>/agent/etc/cni/net.d/`.
 *
 * @module
 */
import { join } from "node:path";

/** K3s's containerd state directory; the socket is in it. */
export const K3S_CONTAINERD_RUN_DIR = "/run/k3s/containerd";

/** Every path of the agent's containerd. */
export interface ContainerdPaths {
  /** The generated `config.toml`. */
  config: string;
  /** containerd's `--root`: content, snapshots, metadata (persistent). */
  root: string;
  /** containerd's `--state`: sockets, task state, pod network namespaces (gone at reboot). */
  state: string;
  /** The gRPC socket (CRI and containerd's own API). */
  address: string;
  /** Where containerd's output goes. */
  log: string;
  /** Which process is the running containerd, so a restarted agent can find one it left behind. */
  pidFile: string;
  /** The CNI network configuration directory the CRI plugin reads. */
  cniConfDir: string;
}

/**
 * The paths for a data directory, as K3s lays them out; `runDir` moves the state and socket (tests run
 * several side by side).
 *
 * @example
 * ```ts
 * containerdPaths("/var/lib/rancher/k3s").address; // "/run/k3s/containerd/containerd.sock"
 * containerdPaths("/var/lib/rancher/k3s").config;  // "/var/lib/rancher/k3s/agent/etc/containerd/config.toml"
 * ```
 */
export function containerdPaths(dataDir: string, runDir = K3S_CONTAINERD_RUN_DIR): ContainerdPaths {
  const agent = join(dataDir, "agent");
  const root = join(agent, "containerd");
  return {
    config: join(agent, "etc", "containerd", "config.toml"),
    root,
    state: runDir,
    address: join(runDir, "containerd.sock"),
    log: join(root, "containerd.log"),
    pidFile: join(runDir, "containerd.pid"),
    cniConfDir: join(agent, "etc", "cni", "net.d"),
  };
}
