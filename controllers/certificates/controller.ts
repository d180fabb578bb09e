/**
 * The certificate operator: at start, every 6 hours (dynamiclistener's check interval) and whenever the
 * front door's certificate or the `k3s-serving` Secret changes, it syncs that Secret, renews the front
 * door's certificate within the renewal window (swapped into the server without dropping connections), and
 * renews every leaf under `server/tls` that K3s would renew at start — with the same key. It warns
 * (`CertificateExpirationWarning`, `CACertificateExpirationWarning` as K3s's cert monitor) on the server's
 * Node, or on the `k3s-serving` Secret while there is no Node, and records each renewal (`CertificateRenewed`).
 *
 * Every server runs its own (its files and its listener are its own), so it is not leader-elected.
 *
 * @module
 */
import { hostname } from "node:os";
import type { Client } from "../../core/client/mod.ts";
import {
  Controller,
  type ControllerOptions,
  type EventRecorder,
  eventRecorder,
  type InformerProvider,
  type KubeObject,
  type Manager,
  type Request,
  type Result,
} from "../../core/operator/mod.ts";
import {
  type APIServerSANOptions,
  type CertificateAuthority,
  certificateInfo,
  type DynamicListener,
  RENEW_DAYS,
} from "../../core/pki/mod.ts";
import type { Registry } from "../../core/registry/registry.ts";
import { leafFiles, leafRenewalReason, leafSpec, loadCAs, renewLeaf } from "./leaf_files.ts";
import { SERVING_SECRET, syncServingSecret } from "./serving_secret.ts";

/** How often the certificates are checked without a change prompting it: dynamiclistener's 6 hours. */
export const RESYNC_MS = 6 * 3_600_000;

/** CAs are flagged a year before they expire, as K3s's cert monitor does (they are never renewed here). */
const CA_WARN_DAYS = 365;
const DAY_MS = 86_400_000;

/** The key of the one thing this controller reconciles. */
const KEY = `${SERVING_SECRET.namespace}/${SERVING_SECRET.name}`;

/** What the certificate controller works on. */
export interface CertificateControllerOptions {
  /** `--data-dir`: the certificates are under `<data-dir>/server/tls`. */
  dataDir: string;
  /** The front door's certificate (startServer hands it to the controllers as `serving`). */
  listener: DynamicListener;
  /** The names the API server's serving certificate must carry (`--tls-san`, `--service-cidr`). */
  apiServerSANs?: APIServerSANOptions;
  /** Renew within this many days of expiry (default core/pki's {@link RENEW_DAYS}). */
  renewDays?: number;
  /** This server's node name (default: the host name, as K3s names the node). */
  nodeName?: string;
  /** The clock (tests move it forward to reach the renewal window). */
  now?: () => Date;
}

interface Deps {
  client: Client;
  registry: Registry;
  manager: Manager;
}

/** The controller's options carry its settings, so a copy of the controller shares them. */
interface CertificateOptions extends ControllerOptions {
  listener: DynamicListener;
}

/** Starts with its key queued and re-queues it on every change of the front door's certificate. */
class CertificateController extends Controller {
  override async start(informers: InformerProvider, signal: AbortSignal): Promise<void> {
    const { listener } = this.options as CertificateOptions;
    const stop = listener.onChange(() => this.queue.add(KEY));
    this.queue.add(KEY);
    try {
      await super.start(informers, signal);
    } finally {
      stop();
    }
  }
}

/**
 * The certificate operator, for `startServer`'s `controllers` (or a manager).
 *
 * @example
 * ```ts
 * controllers: (deps) => [certificateController(deps, { dataDir, listener: deps.serving, apiServerSANs: { tlsSans } })]
 * ```
 */
export function certificateController(deps: Deps, options: CertificateControllerOptions): Controller {
  const secrets = deps.registry.resolve("", "v1", "secrets")!;
  const nodes = deps.registry.resolve("", "v1", "nodes")!;
  const nodeName = options.nodeName ?? hostname().toLowerCase();
  const events = eventRecorder(deps.client, "k3s-cert-monitor", { host: nodeName });
  const now = options.now ?? (() => new Date());
  const renewDays = options.renewDays ?? RENEW_DAYS;
  const isServing = (o: KubeObject) =>
    o.metadata?.namespace === SERVING_SECRET.namespace && o.metadata?.name === SERVING_SECRET.name;

  const reconcile = async (_: Request): Promise<Result> => {
    const at = now();
    const secret = await syncServingSecret(deps.client, options.listener);
    const node = deps.manager.cache(nodes).get(nodeName);
    const subject: KubeObject = node ?? secret;
    if (await options.listener.renewIfExpiring(at)) {
      events.event(subject, "Normal", "CertificateRenewed", "Renewed the dynamic listener certificate (k3s-serving)");
    }
    await renewLeaves({ ...options, renewDays, at, subject, events });
    return { requeueAfterMs: RESYNC_MS };
  };

  const controllerOptions: CertificateOptions = { needLeaderElection: false, listener: options.listener };
  return new CertificateController(
    "certificates",
    secrets,
    [
      { kind: secrets, predicate: isServing, map: () => [KEY] },
      { kind: nodes, predicate: (o) => o.metadata?.name === nodeName, map: () => [KEY] },
    ],
    reconcile,
    controllerOptions,
  );
}

async function renewLeaves(
  run: CertificateControllerOptions & { renewDays: number; at: Date; subject: KubeObject; events: EventRecorder },
): Promise<void> {
  const cas = await loadCAs(run.dataDir);
  warnAboutCAs(cas, run);
  const due = [];
  for (const leaf of await leafFiles(run.dataDir, cas)) {
    const spec = leafSpec(leaf, run.apiServerSANs ?? {});
    const reason = await leafRenewalReason(leaf, spec, { now: run.at, renewDays: run.renewDays });
    if (reason) due.push({ leaf, spec, reason });
  }
  const expiring = due.filter(({ leaf }) => leaf.info.notAfter.getTime() - run.at.getTime() <= run.renewDays * DAY_MS)
    .map(({ leaf }) =>
      `${leaf.name}: certificate ${leaf.info.commonName} will expire within ${run.renewDays} days at ${
        rfc3339(leaf.info.notAfter)
      }`
    );
  if (expiring.length) {
    run.events.event(
      run.subject,
      "Warning",
      "CertificateExpirationWarning",
      `Node certificates require attention - renewing them now: ${expiring.join("\n")}`,
    );
  }
  const failures: string[] = [];
  for (const { leaf, spec, reason } of due) {
    try {
      const until = rfc3339(certificateInfo(await renewLeaf(run.dataDir, leaf, spec, run.at)).notAfter);
      run.events.event(
        run.subject,
        "Normal",
        "CertificateRenewed",
        `Renewed ${leaf.name} (${reason}), valid until ${until}`,
      );
    } catch (error) {
      failures.push(`${leaf.name}: ${(error as Error).message}`);
    }
  }
  if (failures.length) throw new Error(`renewing certificates failed: ${failures.join("; ")}`);
}

function warnAboutCAs(
  cas: Map<string, CertificateAuthority>,
  run: { at: Date; subject: KubeObject; events: EventRecorder },
) {
  const soon = [...cas.entries()].filter(([, ca]) =>
    ca.cert.notAfter.getTime() - run.at.getTime() <= CA_WARN_DAYS * DAY_MS
  );
  if (!soon.length) return;
  const lines = soon.map(([base, ca]) =>
    `${base}.crt: certificate ${ca.cert.subjectName.getField("CN")[0]} will expire within ${CA_WARN_DAYS} days at ${
      rfc3339(ca.cert.notAfter)
    }`
  );
  run.events.event(
    run.subject,
    "Warning",
    "CACertificateExpirationWarning",
    `Certificate Authority certificates require attention - check k3s documentation and begin planning rotation: ${
      lines.join("\n")
    }`,
  );
}

function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
