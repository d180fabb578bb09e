/**
 * The API objects a pod needs its node to read: secrets and config maps (volumes, env, image pull secrets),
 * persistent volume claims (including generic ephemeral volumes' claims), its service account and its resource
 * claims — kube's `VisitPodSecretNames` / `VisitPodConfigmapNames` and the Node authorizer graph's pod edges.
 *
 * @module
 */

// deno-lint-ignore no-explicit-any
type Json = any;

function containersOf(pod: Json): Json[] {
  const spec = pod?.spec ?? {};
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
}

function names(values: (string | undefined)[]): Set<string> {
  return new Set(values.filter((v): v is string => typeof v === "string" && v !== ""));
}

/**
 * The secrets a pod references.
 *
 * @example
 * ```ts
 * podSecretNames({ spec: { volumes: [{ name: "v", secret: { secretName: "tls" } }] } }); // Set {"tls"}
 * ```
 */
export function podSecretNames(pod: Json): Set<string> {
  const found: (string | undefined)[] = (pod?.spec?.imagePullSecrets ?? []).map((s: Json) => s?.name);
  for (const c of containersOf(pod)) {
    for (const from of c.envFrom ?? []) found.push(from?.secretRef?.name);
    for (const env of c.env ?? []) found.push(env?.valueFrom?.secretKeyRef?.name);
  }
  for (const v of pod?.spec?.volumes ?? []) {
    found.push(v?.secret?.secretName, v?.azureFile?.secretName, v?.csi?.nodePublishSecretRef?.name);
    for (const source of ["cephfs", "cinder", "flexVolume", "rbd", "scaleIO", "iscsi", "storageos"]) {
      found.push(v?.[source]?.secretRef?.name);
    }
    for (const projected of v?.projected?.sources ?? []) found.push(projected?.secret?.name);
  }
  return names(found);
}

/**
 * The config maps a pod references.
 *
 * @example
 * ```ts
 * podConfigMapNames({ spec: { containers: [{ envFrom: [{ configMapRef: { name: "settings" } }] }] } }); // Set {"settings"}
 * ```
 */
export function podConfigMapNames(pod: Json): Set<string> {
  const found: (string | undefined)[] = [];
  for (const c of containersOf(pod)) {
    for (const from of c.envFrom ?? []) found.push(from?.configMapRef?.name);
    for (const env of c.env ?? []) found.push(env?.valueFrom?.configMapKeyRef?.name);
  }
  for (const v of pod?.spec?.volumes ?? []) {
    found.push(v?.configMap?.name);
    for (const projected of v?.projected?.sources ?? []) found.push(projected?.configMap?.name);
  }
  return names(found);
}

/**
 * The persistent volume claims a pod mounts; a generic ephemeral volume's claim is `<pod>-<volume>`.
 *
 * @example
 * ```ts
 * podClaimNames({ metadata: { name: "db" }, spec: { volumes: [{ name: "data", ephemeral: {} }] } }); // Set {"db-data"}
 * ```
 */
export function podClaimNames(pod: Json): Set<string> {
  return names(
    (pod?.spec?.volumes ?? []).map((v: Json) =>
      v?.persistentVolumeClaim?.claimName ?? (v?.ephemeral ? `${pod?.metadata?.name}-${v.name}` : undefined)
    ),
  );
}

/**
 * The resource claims a pod uses (by name, or as generated and recorded in its status).
 *
 * @example
 * ```ts
 * podResourceClaimNames({ spec: { resourceClaims: [{ name: "gpu", resourceClaimName: "gpu-claim" }] } }); // Set {"gpu-claim"}
 * ```
 */
export function podResourceClaimNames(pod: Json): Set<string> {
  return names([
    ...(pod?.spec?.resourceClaims ?? []).map((c: Json) => c?.resourceClaimName),
    ...(pod?.status?.resourceClaimStatuses ?? []).map((c: Json) => c?.resourceClaimName),
  ]);
}
