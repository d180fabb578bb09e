/**
 * Why a pod's volumes could not be set up: the kubelet reports it as a `FailedMount` event and retries.
 *
 * @module
 */

/**
 * A volume that cannot be mounted (yet); `reason` is the Event's.
 *
 * @example
 * ```ts
 * throw new VolumeError(`configmap "cfg" not found`);
 * ```
 */
export class VolumeError extends Error {
  /** The volume that failed, when one did: upstream's event reads `MountVolume.SetUp failed for volume "<name>" : …`. */
  volume?: string;

  constructor(message: string, readonly reason = "FailedMount") {
    super(message);
  }
}
