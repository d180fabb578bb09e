/**
 * Completion indexes of Indexed Jobs: the compressed interval lists of `status.completedIndexes` /
 * `status.failedIndexes` ("0-2,4,6,7"), and which indexes still need a pod.
 *
 * @module
 */

/** An inclusive run of indexes. */
export interface Interval {
  first: number;
  last: number;
}

/**
 * A sorted, non-overlapping, non-adjacent list of intervals (kube's `orderedIntervals`).
 *
 * @example
 * ```ts
 * OrderedIntervals.parse("0-2,4", 10).withIndexes([3]).toString(); // "0-4"
 * ```
 */
export class OrderedIntervals {
  constructor(readonly intervals: readonly Interval[] = []) {}

  /** Parse the status format, dropping indexes at or beyond `completions` and skipping corrupt parts, as kube does. */
  static parse(text: string | undefined, completions: number): OrderedIntervals {
    const result: Interval[] = [];
    if (!text) return new OrderedIntervals(result);
    for (const part of text.split(",")) {
      const limits = part.split("-");
      if (!/^\d+$/.test(limits[0])) continue;
      const first = Number(limits[0]);
      if (first >= completions) break;
      let last = first;
      if (limits.length > 1) {
        if (!/^\d+$/.test(limits[1])) continue;
        last = Math.min(Number(limits[1]), completions - 1);
      }
      const previous = result[result.length - 1];
      if (previous && previous.last === first - 1) previous.last = last;
      else result.push({ first, last });
    }
    return new OrderedIntervals(result);
  }

  /** These intervals and `other`, merged. */
  merge(other: OrderedIntervals): OrderedIntervals {
    const all = [...this.intervals, ...other.intervals].sort((a, b) => a.first - b.first);
    const result: Interval[] = [];
    for (const { first, last } of all) {
      const previous = result[result.length - 1];
      if (!previous || first > previous.last + 1) result.push({ first, last });
      else if (last > previous.last) previous.last = last;
    }
    return new OrderedIntervals(result);
  }

  /** These intervals with `indexes` added. */
  withIndexes(indexes: Iterable<number>): OrderedIntervals {
    return this.merge(new OrderedIntervals([...indexes].map((i) => ({ first: i, last: i }))));
  }

  /** How many indexes the intervals hold. */
  total(): number {
    return this.intervals.reduce((n, i) => n + i.last - i.first + 1, 0);
  }

  /** Whether `index` is in one of the intervals. */
  has(index: number): boolean {
    return this.intervals.some((i) => i.first <= index && index <= i.last);
  }

  /** The status format: runs of three or more as "a-b", pairs as "a,b". */
  toString(): string {
    return this.intervals.map(({ first, last }) =>
      last === first ? `${first}` : last === first + 1 ? `${first},${last}` : `${first}-${last}`
    ).join(",");
  }
}

/**
 * Kube's `firstPendingIndexes`: the `count` lowest indexes below `completions` not in `taken`.
 *
 * @example
 * ```ts
 * firstPendingIndexes(OrderedIntervals.parse("0,2", 5), 2, 5); // [1, 3]
 * ```
 */
export function firstPendingIndexes(taken: OrderedIntervals, count: number, completions: number): number[] {
  const result: number[] = [];
  let candidate = 0;
  for (const { first, last } of taken.intervals) {
    for (; candidate < completions && result.length < count && candidate < first; candidate++) result.push(candidate);
    if (candidate < last + 1) candidate = last + 1;
  }
  for (; candidate < completions && result.length < count; candidate++) result.push(candidate);
  return result;
}

/**
 * Kube's `matchSucceededIndexesRule` with `succeededCount` folded in: whether `succeeded` covers all of `required`,
 * or at least `count` of them.
 *
 * @example
 * ```ts
 * covers(OrderedIntervals.parse("0-3", 10), OrderedIntervals.parse("0,1,7", 10), 2); // true
 * ```
 */
export function covers(required: OrderedIntervals, succeeded: OrderedIntervals, count?: number): boolean {
  let contained = 0;
  for (const r of required.intervals) {
    for (const s of succeeded.intervals) {
      contained += Math.max(0, Math.min(r.last, s.last) - Math.max(r.first, s.first) + 1);
    }
  }
  return contained === required.total() || (count !== undefined && contained >= count);
}
