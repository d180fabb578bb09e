/**
 * The API calls the scheduler makes behind its scheduling loop — bindings, status patches — at most `limit`
 * at once. Kube binds in a goroutine per pod; here the loop waits for a free slot before taking the next
 * pod, so a burst of ten thousand pods keeps a bounded number of requests in flight.
 *
 * @module
 */

/**
 * Bounded concurrent background calls.
 *
 * @example
 * ```ts
 * const calls = new ApiCalls(32, console.error);
 * await calls.ready();
 * calls.start(() => client.createSubresource(POD, ns, name, "binding", binding).then(() => {}));
 * await calls.drain(); // on shutdown
 * ```
 */
export class ApiCalls {
  #inFlight = 0;
  readonly #waiting: (() => void)[] = [];
  readonly #running = new Set<Promise<void>>();

  /** `onError` hears of calls that threw (calls should handle their own failures). */
  constructor(readonly limit: number, readonly onError: (error: unknown) => void) {}

  /** Resolves once another call may start. */
  async ready(): Promise<void> {
    while (this.#inFlight >= this.limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  /** Start `call` now, whether or not a slot is free (a status patch must not wait behind bindings). */
  start(call: () => Promise<void>): void {
    this.#inFlight++;
    const running: Promise<void> = call().catch(this.onError).finally(() => {
      this.#inFlight--;
      this.#running.delete(running);
      this.#waiting.shift()?.();
    });
    this.#running.add(running);
  }

  /** Resolves when every call started so far has finished. */
  async drain(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }
}
