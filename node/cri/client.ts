/**
 * A typed CRI v1 client over the container runtime's unix socket: the calls a kubelet makes to the
 * RuntimeService and ImageService, with the kubelet's deadlines (`--runtime-request-timeout`, 2 minutes,
 * plus the container's own stop or exec timeout; none for image pulls). Failures come back as
 * {@linkcode CriError}s worded as Go's gRPC errors are, since that text reaches pod events.
 *
 * @module
 */
import * as grpc from "@grpc/grpc-js";
import { criServices } from "./services.ts";
import type {
  AttachRequest,
  AuthConfig,
  Container,
  ContainerConfig,
  ContainerFilter,
  ContainerStats,
  ContainerStatsFilter,
  ContainerStatusResponse,
  ExecRequest,
  ExecSyncResponse,
  Image,
  ImageFsInfoResponse,
  ImageSpec,
  ImageStatusResponse,
  PodSandbox,
  PodSandboxConfig,
  PodSandboxFilter,
  PodSandboxStatusResponse,
  PortForwardRequest,
  StatusResponse,
  VersionResponse,
} from "./types.ts";

/** The kubelet's default `--runtime-request-timeout`. */
export const DEFAULT_RUNTIME_REQUEST_TIMEOUT_MS = 120_000;

/** The CRI version a kubelet announces in Version. */
const KUBE_RUNTIME_API_VERSION = "0.1.0";

/** The kubelet's limit on a CRI response (a long ListContainers on a busy node). */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** Go's names of the gRPC status codes, as `status.Error` prints them. */
const GO_CODE_NAMES = [
  "OK",
  "Canceled",
  "Unknown",
  "InvalidArgument",
  "DeadlineExceeded",
  "NotFound",
  "AlreadyExists",
  "PermissionDenied",
  "ResourceExhausted",
  "FailedPrecondition",
  "Aborted",
  "OutOfRange",
  "Unimplemented",
  "Internal",
  "Unavailable",
  "DataLoss",
  "Unauthenticated",
];

/** A failed CRI call: the gRPC status code and the runtime's own description. */
export class CriError extends Error {
  override name = "CriError";
  constructor(readonly method: string, readonly code: grpc.status, readonly details: string) {
    super(`rpc error: code = ${GO_CODE_NAMES[code] ?? code} desc = ${details}`);
  }
}

/**
 * Whether `error` is the runtime saying the container, sandbox or image does not exist.
 *
 * @example
 * ```ts
 * await cri.removeContainer(id).catch((e) => { if (!isNotFound(e)) throw e; });
 * ```
 */
export function isNotFound(error: unknown): boolean {
  return error instanceof CriError && error.code === grpc.status.NOT_FOUND;
}

/**
 * The socket path of a CRI endpoint given as K3s's `--container-runtime-endpoint` takes it: a path, or a
 * `unix://` URL.
 *
 * @example
 * ```ts
 * socketPath("unix:///run/containerd/containerd.sock"); // "/run/containerd/containerd.sock"
 * socketPath("/run/k3s/containerd/containerd.sock");    // the same path
 * ```
 */
export function socketPath(endpoint: string): string {
  if (endpoint.startsWith("unix://")) return endpoint.slice("unix://".length);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint)) {
    throw new Error(`container runtime endpoint ${endpoint}: only unix sockets are supported (unix:///path or /path)`);
  }
  return endpoint;
}

/** Options of a {@linkcode CriClient}. */
export interface CriClientOptions {
  /** Deadline of an ordinary call (default {@linkcode DEFAULT_RUNTIME_REQUEST_TIMEOUT_MS}). */
  requestTimeoutMs?: number;
}

type Callback = (error: grpc.ServiceError | null, response: unknown) => void;
type UnaryMethod = (request: unknown, options: grpc.CallOptions, callback: Callback) => void;

/**
 * One connection to a CRI runtime, shared by both services. Nothing connects until the first call.
 *
 * @example
 * ```ts
 * const cri = new CriClient("/run/k3s/containerd/containerd.sock");
 * const { runtime_name, runtime_version } = await cri.version(); // "containerd", "1.6.20~ds1"
 * cri.close();
 * ```
 */
export class CriClient {
  readonly socket: string;
  readonly #timeoutMs: number;
  readonly #channel: grpc.Channel;
  readonly #runtime: Record<string, UnaryMethod>;
  readonly #images: Record<string, UnaryMethod>;

  constructor(endpoint: string, options: CriClientOptions = {}) {
    this.socket = socketPath(endpoint);
    this.#timeoutMs = options.requestTimeoutMs ?? DEFAULT_RUNTIME_REQUEST_TIMEOUT_MS;
    const target = `unix://${this.socket}`;
    const credentials = grpc.credentials.createInsecure();
    this.#channel = new grpc.Channel(target, credentials, {
      "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
      "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
      // A restarted containerd should be reached again within a second, not after grpc's 2-minute back-off.
      "grpc.initial_reconnect_backoff_ms": 100,
      "grpc.max_reconnect_backoff_ms": 1_000,
    });
    const { RuntimeService, ImageService } = criServices();
    this.#runtime = new RuntimeService(target, credentials, { channelOverride: this.#channel }) as unknown as Record<
      string,
      UnaryMethod
    >;
    this.#images = new ImageService(target, credentials, { channelOverride: this.#channel }) as unknown as Record<
      string,
      UnaryMethod
    >;
  }

  /** Close the connection; calls after this fail. */
  close(): void {
    this.#channel.close();
  }

  /** The runtime's name and versions. */
  version(): Promise<VersionResponse> {
    return this.#runtimeCall("Version", { version: KUBE_RUNTIME_API_VERSION });
  }

  /** The runtime's conditions (`RuntimeReady`, `NetworkReady`); `verbose` adds its config in `info`. */
  status(verbose = false): Promise<StatusResponse> {
    return this.#runtimeCall("Status", { verbose });
  }

  /** Create and start a pod sandbox; resolves to its ID once it is ready. */
  async runPodSandbox(config: PodSandboxConfig, runtimeHandler = ""): Promise<string> {
    const response = await this.#runtimeCall<{ pod_sandbox_id: string }>("RunPodSandbox", {
      config,
      runtime_handler: runtimeHandler,
    });
    return response.pod_sandbox_id;
  }

  /** Stop a sandbox and everything in it, releasing its network; idempotent. */
  async stopPodSandbox(podSandboxId: string): Promise<void> {
    await this.#runtimeCall("StopPodSandbox", { pod_sandbox_id: podSandboxId });
  }

  /** Remove a sandbox and its containers; idempotent. */
  async removePodSandbox(podSandboxId: string): Promise<void> {
    await this.#runtimeCall("RemovePodSandbox", { pod_sandbox_id: podSandboxId });
  }

  /** A sandbox's state and network; rejects with NotFound for an unknown ID. */
  podSandboxStatus(podSandboxId: string, verbose = false): Promise<PodSandboxStatusResponse> {
    return this.#runtimeCall("PodSandboxStatus", { pod_sandbox_id: podSandboxId, verbose });
  }

  /** The sandboxes matching `filter` (all without one). */
  async listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]> {
    const response = await this.#runtimeCall<{ items: PodSandbox[] }>("ListPodSandbox", { filter });
    return response.items;
  }

  /** Create a container in a sandbox; resolves to its ID. */
  async createContainer(
    podSandboxId: string,
    config: ContainerConfig,
    sandboxConfig: PodSandboxConfig,
  ): Promise<string> {
    const response = await this.#runtimeCall<{ container_id: string }>("CreateContainer", {
      pod_sandbox_id: podSandboxId,
      config,
      sandbox_config: sandboxConfig,
    });
    return response.container_id;
  }

  /** Start a created container. */
  async startContainer(containerId: string): Promise<void> {
    await this.#runtimeCall("StartContainer", { container_id: containerId });
  }

  /** Stop a container: SIGTERM (or the image's stop signal), SIGKILL after `timeoutSeconds`; idempotent. */
  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    await this.#runtimeCall("StopContainer", { container_id: containerId, timeout: timeoutSeconds }, {
      timeoutMs: this.#timeoutMs + timeoutSeconds * 1000,
    });
  }

  /** Remove a container, killing it first if it runs; idempotent. */
  async removeContainer(containerId: string): Promise<void> {
    await this.#runtimeCall("RemoveContainer", { container_id: containerId });
  }

  /** The containers matching `filter` (all without one). */
  async listContainers(filter?: ContainerFilter): Promise<Container[]> {
    const response = await this.#runtimeCall<{ containers: Container[] }>("ListContainers", { filter });
    return response.containers;
  }

  /** A container's state, exit code, reason and log path; rejects with NotFound for an unknown ID. */
  containerStatus(containerId: string, verbose = false): Promise<ContainerStatusResponse> {
    return this.#runtimeCall("ContainerStatus", { container_id: containerId, verbose });
  }

  /**
   * Run a command in a container and wait for it (a probe's or `kubectl exec`'s one-shot form); a
   * non-zero exit is a result, not an error. `timeoutSeconds` 0 waits as long as it takes.
   */
  execSync(containerId: string, cmd: string[], timeoutSeconds = 0): Promise<ExecSyncResponse> {
    const request = { container_id: containerId, cmd, timeout: timeoutSeconds };
    const timeoutMs = timeoutSeconds > 0 ? this.#timeoutMs + timeoutSeconds * 1000 : undefined;
    return this.#runtimeCall("ExecSync", request, { timeoutMs });
  }

  /** The runtime's streaming URL for an interactive exec. */
  async exec(request: ExecRequest): Promise<string> {
    return (await this.#runtimeCall<{ url: string }>("Exec", request)).url;
  }

  /** The runtime's streaming URL for attaching to a container's main process. */
  async attach(request: AttachRequest): Promise<string> {
    return (await this.#runtimeCall<{ url: string }>("Attach", request)).url;
  }

  /** The runtime's streaming URL for forwarding ports into a sandbox's network namespace. */
  async portForward(request: PortForwardRequest): Promise<string> {
    return (await this.#runtimeCall<{ url: string }>("PortForward", request)).url;
  }

  /** One container's CPU, memory and writable-layer usage. */
  async containerStats(containerId: string): Promise<ContainerStats | null> {
    return (await this.#runtimeCall<{ stats: ContainerStats | null }>("ContainerStats", { container_id: containerId }))
      .stats;
  }

  /** The usage of every container matching `filter`. */
  async listContainerStats(filter?: ContainerStatsFilter): Promise<ContainerStats[]> {
    return (await this.#runtimeCall<{ stats: ContainerStats[] }>("ListContainerStats", { filter })).stats;
  }

  /** The images in the runtime's store, optionally only those matching `filter`. */
  async listImages(filter?: ImageSpec): Promise<Image[]> {
    const request = filter ? { filter: { image: filter } } : {};
    return (await this.#imageCall<{ images: Image[] }>("ListImages", request)).images;
  }

  /** An image's details; `image` is null when it is not present (this is how a kubelet checks before pulling). */
  imageStatus(image: ImageSpec, verbose = false): Promise<ImageStatusResponse> {
    return this.#imageCall("ImageStatus", { image, verbose });
  }

  /** Pull an image from its registry; resolves to its image reference. No deadline, as a kubelet's pull has none. */
  async pullImage(image: ImageSpec, auth?: AuthConfig, sandboxConfig?: PodSandboxConfig): Promise<string> {
    const request = { image, auth, sandbox_config: sandboxConfig };
    return (await this.#imageCall<{ image_ref: string }>("PullImage", request, { timeoutMs: undefined })).image_ref;
  }

  /** Remove an image and every tag of it; idempotent. */
  async removeImage(image: ImageSpec): Promise<void> {
    await this.#imageCall("RemoveImage", { image });
  }

  /** The filesystems holding images and containers' writable layers, with their usage. */
  imageFsInfo(): Promise<ImageFsInfoResponse> {
    return this.#imageCall("ImageFsInfo", {});
  }

  #runtimeCall<T>(method: string, request: unknown, options?: { timeoutMs: number | undefined }): Promise<T> {
    return this.#call(this.#runtime, method, request, options);
  }

  #imageCall<T>(method: string, request: unknown, options?: { timeoutMs: number | undefined }): Promise<T> {
    return this.#call(this.#images, method, request, options);
  }

  #call<T>(
    service: Record<string, UnaryMethod>,
    method: string,
    request: unknown,
    { timeoutMs }: { timeoutMs: number | undefined } = { timeoutMs: this.#timeoutMs },
  ): Promise<T> {
    const callOptions: grpc.CallOptions = timeoutMs === undefined ? {} : { deadline: Date.now() + timeoutMs };
    return new Promise<T>((resolve, reject) => {
      service[method](request, callOptions, (error, response) => {
        if (error) reject(new CriError(method, error.code, error.details || error.message));
        else resolve(response as T);
      });
    });
  }
}
