/**
 * Storage: PersistentVolume, PersistentVolumeClaim, StorageClass, VolumeAttachment, CSIDriver,
 * CSINode, CSIStorageCapacity, VolumeAttributesClass.
 *
 * @module
 */

import { age, ageColumn, column, list, meta, nameColumn, type Obj, type Printers, rec, str, wide } from "./format.ts";
import { canonicalQuantity } from "./quantity.ts";

function name(obj: Obj): string {
  return str(meta(obj).name);
}

const ACCESS_MODES: [string, string][] = [
  ["ReadWriteOnce", "RWO"],
  ["ReadOnlyMany", "ROX"],
  ["ReadWriteMany", "RWX"],
  ["ReadWriteOncePod", "RWOP"],
];

/**
 * Access modes abbreviated in a fixed order, whatever order the object lists them in.
 *
 * @example accessModes(["ReadWriteMany", "ReadWriteOnce"]) // "RWO,RWX"
 */
export function accessModes(modes: unknown): string {
  const present = new Set(list(modes).map(str));
  return ACCESS_MODES.filter(([mode]) => present.has(mode)).map(([, short]) => short).join(",");
}

/** The beta annotation still overrides `storageClassName`, as in kube's helper. */
function storageClassOf(obj: Obj, specClass: unknown): string {
  const annotations = rec(meta(obj).annotations);
  const beta = annotations["volume.beta.kubernetes.io/storage-class"];
  if (typeof beta === "string") return beta;
  return str(specClass);
}

function deleting(obj: Obj): boolean {
  const ts = meta(obj).deletionTimestamp;
  return ts !== undefined && ts !== null;
}

function isDefaultClass(obj: Obj, annotation: string, beta?: string): boolean {
  const annotations = rec(meta(obj).annotations);
  return annotations[annotation] === "true" || (beta !== undefined && annotations[beta] === "true");
}

/** Printers for the storage family. */
export const storagePrinters: Printers = {
  "/PersistentVolume": {
    columns: [
      nameColumn(),
      column("Capacity", "capacity is the description of the persistent volume's resources and capacity."),
      column("Access Modes", "accessModes contains all ways the volume can be mounted."),
      column(
        "Reclaim Policy",
        "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.",
      ),
      column("Status", "phase indicates if a volume is available, bound to a claim, or released by a claim."),
      column(
        "Claim",
        "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.",
      ),
      column("StorageClass", "StorageClass of the pv"),
      column("VolumeAttributesClass", "VolumeAttributesClass of the pv"),
      column(
        "Reason",
        "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.",
      ),
      ageColumn(),
      wide(
        "VolumeMode",
        "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.",
      ),
    ],
    cells(pv, now) {
      const spec = rec(pv.spec);
      const status = rec(pv.status);
      const claim = spec.claimRef ? `${str(rec(spec.claimRef).namespace)}/${str(rec(spec.claimRef).name)}` : "";
      // Defaults the API server applies: Retain, Pending, Filesystem.
      return [
        name(pv),
        canonicalQuantity(rec(spec.capacity).storage),
        accessModes(spec.accessModes),
        str(spec.persistentVolumeReclaimPolicy) || "Retain",
        deleting(pv) ? "Terminating" : str(status.phase) || "Pending",
        claim,
        storageClassOf(pv, spec.storageClassName),
        typeof spec.volumeAttributesClassName === "string" ? spec.volumeAttributesClassName : "<unset>",
        str(status.reason),
        age(pv, now),
        str(spec.volumeMode) || "Filesystem",
      ];
    },
  },
  "/PersistentVolumeClaim": {
    columns: [
      nameColumn(),
      column("Status", "phase represents the current phase of PersistentVolumeClaim."),
      column("Volume", "volumeName is the binding reference to the PersistentVolume backing this claim."),
      column("Capacity", "capacity represents the actual resources of the underlying volume."),
      column("Access Modes", "accessModes contains the actual access modes the volume backing the PVC has."),
      column("StorageClass", "StorageClass of the pvc"),
      column("VolumeAttributesClass", "VolumeAttributesClass of the pvc"),
      ageColumn(),
      wide("VolumeMode", "volumeMode defines what type of volume is required by the claim."),
    ],
    cells(pvc, now) {
      const spec = rec(pvc.spec);
      const status = rec(pvc.status);
      const volume = str(spec.volumeName);
      // Capacity and modes describe the bound volume, so they stay blank until there is one.
      return [
        name(pvc),
        deleting(pvc) ? "Terminating" : str(status.phase) || "Pending",
        volume,
        volume ? canonicalQuantity(rec(status.capacity).storage) : "",
        volume ? accessModes(status.accessModes) : "",
        storageClassOf(pvc, spec.storageClassName),
        typeof spec.volumeAttributesClassName === "string" ? spec.volumeAttributesClassName : "<unset>",
        age(pvc, now),
        str(spec.volumeMode) || "Filesystem",
      ];
    },
  },
  "storage.k8s.io/StorageClass": {
    columns: [
      nameColumn(),
      column("Provisioner", "provisioner indicates the type of the provisioner."),
      column(
        "ReclaimPolicy",
        "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class.",
      ),
      column(
        "VolumeBindingMode",
        "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.",
      ),
      column("AllowVolumeExpansion", "allowVolumeExpansion shows whether the storage class allow volume expand."),
      ageColumn(),
    ],
    cells(sc, now) {
      const isDefault = isDefaultClass(
        sc,
        "storageclass.kubernetes.io/is-default-class",
        "storageclass.beta.kubernetes.io/is-default-class",
      );
      return [
        isDefault ? `${name(sc)} (default)` : name(sc),
        str(sc.provisioner),
        str(sc.reclaimPolicy) || "Delete",
        str(sc.volumeBindingMode) || "Immediate",
        sc.allowVolumeExpansion === true,
        age(sc, now),
      ];
    },
  },
  "storage.k8s.io/VolumeAttributesClass": {
    columns: [nameColumn(), column("DriverName", "Name of the CSI driver"), ageColumn()],
    cells(vac, now) {
      const isDefault = isDefaultClass(vac, "volumeattributesclass.kubernetes.io/is-default-class");
      return [isDefault ? `${name(vac)} (default)` : name(vac), str(vac.driverName), age(vac, now)];
    },
  },
  "storage.k8s.io/VolumeAttachment": {
    columns: [
      nameColumn(),
      column("Attacher", "attacher indicates the name of the volume driver that MUST handle this request.", {
        format: "name",
      }),
      column("PV", "persistentVolumeName represents the name of the persistent volume to attach."),
      column("Node", "nodeName represents the node that the volume should be attached to."),
      column("Attached", "attached indicates the volume is successfully attached.", { type: "boolean" }),
      ageColumn(),
    ],
    cells(va, now) {
      const spec = rec(va.spec);
      return [
        name(va),
        str(spec.attacher),
        str(rec(spec.source).persistentVolumeName),
        str(spec.nodeName),
        rec(va.status).attached === true,
        age(va, now),
      ];
    },
  },
  "storage.k8s.io/CSIDriver": {
    columns: [
      nameColumn(),
      column("AttachRequired", "attachRequired indicates this CSI volume driver requires an attach operation.", {
        type: "boolean",
      }),
      column(
        "PodInfoOnMount",
        "podInfoOnMount indicates this CSI volume driver requires additional pod information during mount operations.",
        { type: "boolean" },
      ),
      column(
        "StorageCapacity",
        "storageCapacity indicates that the CSI volume driver wants pod scheduling to consider the storage capacity.",
        { type: "boolean" },
      ),
      column(
        "TokenRequests",
        "tokenRequests indicates the CSI driver needs pods' service account tokens it is mounting volume for to do necessary authentication.",
      ),
      column(
        "RequiresRepublish",
        "requiresRepublish indicates the CSI driver wants `NodePublishVolume` being periodically called.",
        { type: "boolean" },
      ),
      column("Modes", "volumeLifecycleModes defines what kind of volumes this CSI volume driver supports."),
      ageColumn(),
    ],
    cells(driver, now) {
      const spec = rec(driver.spec);
      const tokens = Array.isArray(spec.tokenRequests)
        ? spec.tokenRequests.map((t) => str(rec(t).audience)).join(",")
        : "<unset>";
      // The API server defaults the lifecycle modes to Persistent.
      const modes = Array.isArray(spec.volumeLifecycleModes) ? spec.volumeLifecycleModes.map(str) : ["Persistent"];
      return [
        name(driver),
        spec.attachRequired !== false,
        spec.podInfoOnMount === true,
        spec.storageCapacity === true,
        tokens,
        spec.requiresRepublish === true,
        modes.join(",") || "<none>",
        age(driver, now),
      ];
    },
  },
  "storage.k8s.io/CSINode": {
    columns: [
      nameColumn(),
      column("Drivers", "Drivers indicates the number of CSI drivers registered on the node", { type: "integer" }),
      ageColumn(),
    ],
    cells: (node, now) => [name(node), list(rec(node.spec).drivers).length, age(node, now)],
  },
  "storage.k8s.io/CSIStorageCapacity": {
    columns: [
      nameColumn(),
      column(
        "StorageClassName",
        "storageClassName represents the name of the StorageClass that the reported capacity applies to.",
      ),
      column(
        "Capacity",
        "capacity is the value reported by the CSI driver in its GetCapacityResponse for a GetCapacityRequest with topology and parameters that match the previous fields.",
      ),
    ],
    cells: (cap) => [
      name(cap),
      str(cap.storageClassName),
      cap.capacity === undefined || cap.capacity === null ? "<unset>" : canonicalQuantity(cap.capacity),
    ],
  },
};
