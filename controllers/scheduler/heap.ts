/**
 * A binary heap that can also remove any item it holds, as the scheduling queue needs when a waiting pod is
 * deleted or moves between queues.
 *
 * @module
 */

/**
 * A min-heap under `less`, of distinct items.
 *
 * @example
 * ```ts
 * const heap = new Heap<number>((a, b) => a < b);
 * heap.push(3); heap.push(1);
 * heap.pop(); // 1
 * ```
 */
export class Heap<T> {
  readonly #items: T[] = [];
  readonly #index = new Map<T, number>();

  constructor(readonly less: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.#items.length;
  }

  /** The least item, left in place. */
  peek(): T | undefined {
    return this.#items[0];
  }

  push(item: T): void {
    this.#items.push(item);
    this.#index.set(item, this.#items.length - 1);
    this.#up(this.#items.length - 1);
  }

  /** Take the least item. */
  pop(): T | undefined {
    const top = this.#items[0];
    if (top !== undefined) this.remove(top);
    return top;
  }

  /** Take `item` out wherever it is; false if it was not here. */
  remove(item: T): boolean {
    const i = this.#index.get(item);
    if (i === undefined) return false;
    this.#index.delete(item);
    const last = this.#items.pop()!;
    if (i < this.#items.length) {
      this.#items[i] = last;
      this.#index.set(last, i);
      this.#down(i);
      this.#up(i);
    }
    return true;
  }

  #up(i: number): void {
    const items = this.#items;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(items[i], items[parent])) return;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #down(i: number): void {
    const items = this.#items;
    while (true) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < items.length && this.less(items[left], items[least])) least = left;
      if (right < items.length && this.less(items[right], items[least])) least = right;
      if (least === i) return;
      this.#swap(i, least);
      i = least;
    }
  }

  #swap(a: number, b: number): void {
    const items = this.#items;
    [items[a], items[b]] = [items[b], items[a]];
    this.#index.set(items[a], a);
    this.#index.set(items[b], b);
  }
}
