/**
 * Timestamps as the API stores `metav1.Time`: RFC 3339 at second precision, so a value this controller
 * writes compares equal to the one it reads back.
 *
 * @module
 */

/**
 * `ms` (epoch milliseconds) as a `metav1.Time` string.
 *
 * @example
 * ```ts
 * metaTime(Date.UTC(2025, 0, 1, 12, 0, 0, 789)); // "2025-01-01T12:00:00Z"
 * ```
 */
export function metaTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");
}
