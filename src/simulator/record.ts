/**
 * A bounded record of the requests a simulator received. Tests and benchmarks read it to prove how many
 * upstream calls the gateway made, in which order and how many were in flight at once; nothing else uses it.
 */

/** One request as the simulator saw it. Times are `performance.now()` milliseconds of this process. */
export interface RecordedRequest {
  /** Monotonic sequence number within this simulator, starting at 1 (survives `reset`). */
  seq: number;
  method: string;
  /** Path without the query string, exactly as received (trailing slash kept). */
  path: string;
  /** Query parameters; a repeated parameter keeps its last value. */
  query: Record<string, string>;
  /** Headers of interest, lower-case names; absent headers are omitted. */
  headers: {
    authorization?: string;
    'x-request-id'?: string;
    'content-type'?: string;
    'user-agent'?: string;
    traceparent?: string;
  };
  /** Status code answered, or 0 while the response is still being produced. */
  status: number;
  startedAt: number;
  /** When the response was fully written, or 0 while in flight. */
  endedAt: number;
}

const INTERESTING = ['authorization', 'x-request-id', 'content-type', 'user-agent', 'traceparent'] as const;

export class RequestRecord {
  #entries: RecordedRequest[] = [];
  #seq = 0;

  /** @param limit the most entries kept; the oldest are dropped first (default 50,000). */
  constructor(readonly limit = 50_000) {}

  /** Starts an entry for an incoming request and returns it, to be completed by `finish`. */
  begin(
    method: string,
    rawUrl: string,
    headers: Record<string, string | string[] | undefined>,
  ): RecordedRequest {
    const url = new URL(rawUrl, 'http://simulator.invalid');
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const picked: RecordedRequest['headers'] = {};
    for (const name of INTERESTING) {
      const value = headers[name];
      if (typeof value === 'string') picked[name] = value;
    }
    const entry: RecordedRequest = {
      seq: ++this.#seq,
      method,
      path: url.pathname,
      query,
      headers: picked,
      status: 0,
      startedAt: performance.now(),
      endedAt: 0,
    };
    this.#entries.push(entry);
    if (this.#entries.length > this.limit) this.#entries.splice(0, this.#entries.length - this.limit);
    return entry;
  }

  finish(entry: RecordedRequest, status: number): void {
    entry.status = status;
    entry.endedAt = performance.now();
  }

  /** A copy of the entries kept, oldest first. */
  list(): RecordedRequest[] {
    return this.#entries.map((e) => ({ ...e, query: { ...e.query }, headers: { ...e.headers } }));
  }

  get count(): number {
    return this.#entries.length;
  }

  /** Every request received since start, including those dropped from the record (not reset by `reset`). */
  get received(): number {
    return this.#seq;
  }

  /** Forgets every entry (sequence numbers keep growing). */
  reset(): void {
    this.#entries = [];
  }

  /** The largest number of requests that were in flight at the same moment among the entries kept. */
  maxConcurrency(): number {
    const events: Array<[number, number]> = [];
    for (const e of this.#entries) {
      events.push([e.startedAt, 1]);
      events.push([e.endedAt || Number.POSITIVE_INFINITY, -1]);
    }
    // Ends sort before starts at the same instant so back-to-back requests do not count as overlapping.
    events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let current = 0;
    let max = 0;
    for (const [, delta] of events) {
      current += delta;
      if (current > max) max = current;
    }
    return max;
  }
}
