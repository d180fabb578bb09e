/**
 * Helm 3's release record (`release.Release`, `Info`, `Hook`): what an install or upgrade stores, with the JSON
 * field names and `omitempty` rules of helm/helm's structs, so the `helm` CLI reads what we store.
 *
 * @module
 */

import type { Chart } from "../chart/chart.ts";
import { marshalStruct } from "../chart/struct_json.ts";
import type { Values } from "../chart/values.ts";
import { formatTime, RFC3339_NANO } from "../sprig/timefmt.ts";
import { localZone } from "../sprig/zoneinfo.ts";

/** A release's state (`release.Status`). */
export type ReleaseStatus =
  | "unknown"
  | "deployed"
  | "uninstalled"
  | "superseded"
  | "failed"
  | "uninstalling"
  | "pending-install"
  | "pending-upgrade"
  | "pending-rollback";

/** When a hook runs (`helm.sh/hook` values). */
export type HookEvent =
  | "pre-install"
  | "post-install"
  | "pre-delete"
  | "post-delete"
  | "pre-upgrade"
  | "post-upgrade"
  | "pre-rollback"
  | "post-rollback"
  | "test";

/** Helm's `time.Time` in JSON: RFC 3339 with nanoseconds, "" for the zero time. */
function timeJson(t: Date | null): { MarshalJSON(): string } {
  return { MarshalJSON: () => JSON.stringify(t === null ? "" : formatTime(t, RFC3339_NANO, localZone())) };
}

/** The outcome of a hook's last run (`release.HookExecution`). */
export class HookExecution {
  StartedAt: Date | null = null;
  CompletedAt: Date | null = null;
  /** "Unknown", "Running", "Succeeded", "Failed", or "" before the first run. */
  Phase = "";

  MarshalJSON(): string {
    return marshalStruct([
      ["started_at", timeJson(this.StartedAt)],
      ["completed_at", timeJson(this.CompletedAt)],
      ["phase", this.Phase],
    ]);
  }
}

/** A hook: a manifest annotated `helm.sh/hook`, run at its events instead of being installed with the release. */
export class Hook {
  Name = "";
  Kind = "";
  /** The template it came from. */
  Path = "";
  Manifest = "";
  Events: HookEvent[] = [];
  LastRun = new HookExecution();
  /** `helm.sh/hook-weight`: lower runs first. */
  Weight = 0;
  /** `helm.sh/hook-delete-policy`: before-hook-creation, hook-succeeded, hook-failed. */
  DeletePolicies: string[] = [];
  /** `helm.sh/hook-output-log-policy`. */
  OutputLogPolicies: string[] = [];

  MarshalJSON(): string {
    return marshalStruct([
      ["name", this.Name, true],
      ["kind", this.Kind, true],
      ["path", this.Path, true],
      ["manifest", this.Manifest, true],
      ["events", this.Events, true],
      ["last_run", this.LastRun, true],
      ["weight", BigInt(this.Weight), true],
      ["delete_policies", this.DeletePolicies, true],
      ["output_log_policies", this.OutputLogPolicies, true],
    ]);
  }
}

/** `release.Info`. */
export class Info {
  FirstDeployed: Date | null = null;
  LastDeployed: Date | null = null;
  Deleted: Date | null = null;
  Description = "";
  Status: ReleaseStatus = "unknown";
  Notes = "";

  MarshalJSON(): string {
    return marshalStruct([
      ["first_deployed", timeJson(this.FirstDeployed), true],
      ["last_deployed", timeJson(this.LastDeployed), true],
      ["deleted", timeJson(this.Deleted)],
      ["description", this.Description, true],
      ["status", this.Status, true],
      ["notes", this.Notes, true],
    ]);
  }
}

/** `release.Release`: one revision of a release. */
export class Release {
  Name = "";
  Info = new Info();
  Chart: Chart | null = null;
  /** The values the user supplied (not the coalesced ones). */
  Config: Values | null = null;
  /** The rendered manifests, `---\n# Source: <template>\n<document>` each. */
  Manifest = "";
  Hooks: Hook[] = [];
  Version = 0;
  Namespace = "";
  /** Custom labels of the storage record (not part of the JSON). */
  Labels: Record<string, string> = {};

  MarshalJSON(): string {
    return marshalStruct([
      ["name", this.Name, true],
      ["info", this.Info, true],
      ["chart", this.Chart, true],
      ["config", this.Config, true],
      ["manifest", this.Manifest, true],
      ["hooks", this.Hooks, true],
      ["version", BigInt(this.Version), true],
      ["namespace", this.Namespace, true],
    ]);
  }
}
