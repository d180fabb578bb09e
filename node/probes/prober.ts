/**
 * A container's probe schedule, as the kubelet's prober workers run it: the startup probe first (liveness and
 * readiness wait for it), then liveness and readiness each every `periodSeconds` after `initialDelaySeconds`, a
 * result changing only after `successThreshold` / `failureThreshold` consecutive attempts.
 *
 * @module
 */
import type { Container, Pod, Probe } from "../kubelet/pod.ts";
import { type ProbeTarget, runProbe } from "./probe.ts";

type Kind = "startup" | "liveness" | "readiness";

/** Options of a {@linkcode ContainerProber}. */
export interface ContainerProberOptions {
  pod: Pod;
  container: Container;
  target: ProbeTarget;
  /** Called when `started`, `ready` or `livenessFailure` changed. */
  onChange: () => void;
  /** Called with each failed attempt's message (kubelet's `Unhealthy` Event). */
  onFailure?: (kind: Kind, message: string) => void;
  /** Called with each failed attempt's message, for the agent's log. */
  log?: (line: string) => void;
}

/**
 * The probes of one running container.
 *
 * @example
 * ```ts
 * const prober = new ContainerProber({ pod, container, target: { runtime, containerId, podIP }, onChange: sync });
 * prober.start();
 * if (prober.livenessFailure) await restart();
 * prober.stop();
 * ```
 */
export class ContainerProber {
  #started: boolean;
  #ready: boolean;
  #livenessFailure?: string;
  readonly #stop = new AbortController();

  constructor(readonly options: ContainerProberOptions) {
    this.#started = !options.container.startupProbe;
    this.#ready = this.#started && !options.container.readinessProbe;
  }

  /** No startup probe, or it succeeded. */
  get started(): boolean {
    return this.#started;
  }

  /** Readiness: true without a readiness probe once started. */
  get ready(): boolean {
    return this.#ready;
  }

  /** Why the container must be restarted (liveness or startup failed `failureThreshold` times). */
  get livenessFailure(): string | undefined {
    return this.#livenessFailure;
  }

  /** Begin probing; call once the container is running. */
  start(): void {
    const c = this.options.container;
    if (c.startupProbe) this.#run("startup", c.startupProbe);
    else this.#startAfterStartup();
  }

  /** End all probing (container stopped or pod removed). */
  stop(): void {
    this.#stop.abort();
  }

  #startAfterStartup(): void {
    const c = this.options.container;
    if (c.livenessProbe) this.#run("liveness", c.livenessProbe);
    if (c.readinessProbe) this.#run("readiness", c.readinessProbe);
  }

  async #run(kind: Kind, probe: Probe): Promise<void> {
    const signal = this.#stop.signal;
    const period = (probe.periodSeconds ?? 10) * 1000;
    const successThreshold = kind === "readiness" ? probe.successThreshold ?? 1 : 1;
    const failureThreshold = probe.failureThreshold ?? 3;
    let successes = 0;
    let failures = 0;
    await wait((probe.initialDelaySeconds ?? 0) * 1000, signal);
    while (!signal.aborted) {
      const outcome = await runProbe(probe, { ...this.options.target, container: this.options.container }, signal);
      if (signal.aborted) return;
      if (outcome.result === "success") {
        failures = 0;
        if (++successes >= successThreshold) {
          if (kind === "startup") {
            this.#started = true;
            if (!this.options.container.readinessProbe) this.#ready = true;
            this.options.onChange();
            this.#startAfterStartup();
            return;
          }
          if (kind === "readiness" && !this.#ready) {
            this.#ready = true;
            this.options.onChange();
          }
        }
      } else if (outcome.result === "failure") {
        successes = 0;
        const label = kind[0].toUpperCase() + kind.slice(1);
        const message = `${label} probe failed: ${outcome.message ?? ""}`.trimEnd();
        this.options.onFailure?.(kind, message);
        this.options.log?.(`${this.options.pod.metadata?.name}/${this.options.container.name}: ${message}`);
        if (++failures >= failureThreshold) {
          if (kind === "readiness") {
            if (this.#ready) {
              this.#ready = false;
              this.options.onChange();
            }
          } else {
            this.#livenessFailure = `Container ${this.options.container.name} failed ${kind} probe, will be restarted`;
            this.options.onChange();
            return;
          }
        }
      }
      await wait(period, signal);
    }
  }
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
