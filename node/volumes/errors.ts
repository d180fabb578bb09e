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
  constructor(message: string, readonly reason = "FailedMount") {
    super(message);
  }
}
