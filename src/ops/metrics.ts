/**
 * Prometheus metrics (issue 13 §3), served on their own listener (`METRICS_HOST:METRICS_PORT`, main.ts), never on the
 * public port: they name operations and tell upstream state.
 *
 * Every label is bounded:
 * - operation names are those of the trusted-documents manifest when there is one, else the first
 *   `METRICS_MAX_OPERATION_NAMES` distinct names seen; any other is `other`, an anonymous operation `anonymous`;
 * - upstream routes are templates (`/api/system/accounts/:id`): ids are replaced, query strings never included;
 * - error codes are the gateway's own and GraphQL's standard ones, anything else `OTHER`;
 * - no credential, id or free text appears in any label.
 */
import { Kind, parse } from 'graphql';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { ERROR_CODES } from '../errors.js';
import type { CircuitStateName } from '../upstream/breaker.js';
import { routeTemplate } from '../upstream/route.js';

/** Codes a label may carry besides the gateway's own (graphql-js, Yoga and the query limits). */
const OTHER_CODES = [
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'UNAUTHENTICATED',
] as const;
const KNOWN_CODES: ReadonlySet<string> = new Set([...ERROR_CODES, ...OTHER_CODES]);

/** Operation names in a manifest of trusted documents. */
export function manifestOperationNames(
  manifest: Record<string, string> | undefined,
): Set<string> | undefined {
  if (!manifest) return undefined;
  const names = new Set<string>();
  for (const document of Object.values(manifest)) {
    try {
      for (const definition of parse(document).definitions)
        if (definition.kind === Kind.OPERATION_DEFINITION && definition.name)
          names.add(definition.name.value);
    } catch {
      // A document that does not parse is refused at start-up elsewhere; it names nothing here.
    }
  }
  return names;
}

export interface ViewStats {
  /** PAM scopes and Audit views held. */
  scopes: number;
  entries: number;
  bytes: number;
  /** Age of the oldest view data held, in seconds (0 without any). */
  oldestAgeSeconds: number;
}

export interface MetricSources {
  circuits(): Record<'pam' | 'audit', CircuitStateName>;
  views?: (() => ViewStats) | undefined;
  subscriptions(): number;
  pollers(): number;
}

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly #names = new Set<string>();
  readonly #allowed: ReadonlySet<string> | undefined;
  readonly #operations: Counter<'operation' | 'type' | 'code'>;
  readonly #operationSeconds: Histogram<'operation' | 'type'>;
  readonly #upstreamRequests: Counter<'upstream' | 'method' | 'route' | 'status_class'>;
  readonly #upstreamSeconds: Histogram<'upstream' | 'method' | 'route'>;
  readonly #retries: Counter<'upstream'>;
  readonly #budget: Counter;
  readonly #syncs: Counter<'collection' | 'kind' | 'outcome'>;
  readonly #syncSeconds: Histogram<'collection' | 'kind'>;
  /**
   * View reads are the hottest path (several per operation): counted in plain numbers, added to the counter when it
   * is scraped.
   */
  readonly #readCounts = { pam: { hit: 0, miss: 0 }, audit: { hit: 0, miss: 0 } };

  constructor(
    private readonly options: {
      /** METRICS_MAX_OPERATION_NAMES. */
      maxOperationNames: number;
      /** The names of the trusted-documents manifest, when there is one: only those are labels. */
      operationNames?: ReadonlySet<string> | undefined;
    },
  ) {
    this.#allowed = options.operationNames;
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.#operations = new Counter({
      name: 'pamgraph_operations_total',
      help: 'GraphQL operations, by name, type and first error code (OK without error).',
      labelNames: ['operation', 'type', 'code'],
      registers,
    });
    this.#operationSeconds = new Histogram({
      name: 'pamgraph_operation_duration_seconds',
      help: 'Duration of GraphQL operations, from the start of execution to the result.',
      labelNames: ['operation', 'type'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.#upstreamRequests = new Counter({
      name: 'pamgraph_upstream_requests_total',
      help: 'HTTP requests sent to the upstreams (each attempt), by route template and status class.',
      labelNames: ['upstream', 'method', 'route', 'status_class'],
      registers,
    });
    this.#upstreamSeconds = new Histogram({
      name: 'pamgraph_upstream_request_duration_seconds',
      help: 'Duration of each upstream HTTP request (attempt), by route template.',
      labelNames: ['upstream', 'method', 'route'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.#retries = new Counter({
      name: 'pamgraph_upstream_retries_total',
      help: 'Upstream requests that were retries of a failed attempt.',
      labelNames: ['upstream'],
      registers,
    });
    this.#budget = new Counter({
      name: 'pamgraph_request_budget_refusals_total',
      help: 'Upstream requests not sent because the operation had used UPSTREAM_REQUEST_BUDGET.',
      registers,
    });
    this.#syncs = new Counter({
      name: 'pamgraph_view_syncs_total',
      help: 'Syncs of the shared views, by collection, kind and outcome.',
      labelNames: ['collection', 'kind', 'outcome'],
      registers,
    });
    this.#syncSeconds = new Histogram({
      name: 'pamgraph_view_sync_duration_seconds',
      help: 'Duration of the shared views’ syncs.',
      labelNames: ['collection', 'kind'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    const readCounts = this.#readCounts;
    const reported = { pam: { hit: 0, miss: 0 }, audit: { hit: 0, miss: 0 } };
    new Counter({
      name: 'pamgraph_view_reads_total',
      help: 'Reads of a shared view: a hit is answered from fresh data, a miss waits for a sync.',
      labelNames: ['upstream', 'result'],
      registers,
      collect() {
        for (const upstream of ['pam', 'audit'] as const)
          for (const result of ['hit', 'miss'] as const) {
            const delta = readCounts[upstream][result] - reported[upstream][result];
            if (delta > 0) this.inc({ upstream, result }, delta);
            reported[upstream][result] += delta;
          }
      },
    });
  }

  /** Gauges read at scrape time from the gateway's own state. */
  observe(sources: MetricSources): void {
    const registers = [this.registry];
    new Gauge({
      name: 'pamgraph_upstream_circuit_open',
      help: 'Whether the upstream’s circuit breaker refuses calls (1: open, 0.5: half-open, 0: closed).',
      labelNames: ['upstream'],
      registers,
      collect() {
        for (const [upstream, state] of Object.entries(sources.circuits()))
          this.set({ upstream }, state === 'open' ? 1 : state === 'half-open' ? 0.5 : 0);
      },
    });
    new Gauge({
      name: 'pamgraph_subscriptions',
      help: 'Live subscriptions (audit feed streams).',
      registers,
      collect() {
        this.set(sources.subscriptions());
      },
    });
    new Gauge({
      name: 'pamgraph_audit_feed_pollers',
      help: 'Audit scopes the feed polls.',
      registers,
      collect() {
        this.set(sources.pollers());
      },
    });
    const views = sources.views;
    if (!views) return;
    let last: ViewStats | undefined;
    const stats = () => {
      last = views();
      return last;
    };
    new Gauge({
      name: 'pamgraph_view_scopes',
      help: 'Shared view scopes held (PAM credentials and Audit scopes).',
      registers,
      collect() {
        this.set(stats().scopes);
      },
    });
    new Gauge({
      name: 'pamgraph_view_entries',
      help: 'Objects and audit entries held by the shared views.',
      registers,
      collect() {
        this.set((last ?? stats()).entries);
      },
    });
    new Gauge({
      name: 'pamgraph_view_bytes',
      help: 'Estimated memory of the shared views (bounded by VIEW_MEMORY_MB).',
      registers,
      collect() {
        this.set((last ?? stats()).bytes);
      },
    });
    new Gauge({
      name: 'pamgraph_view_oldest_age_seconds',
      help: 'Age of the oldest data a shared view holds (from the start of its sync).',
      registers,
      collect() {
        this.set((last ?? stats()).oldestAgeSeconds);
      },
    });
  }

  /** The label for an operation name (bounded, see above). */
  operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (this.#allowed) return this.#allowed.has(name) ? name : 'other';
    if (this.#names.has(name)) return name;
    if (this.#names.size >= this.options.maxOperationNames) return 'other';
    this.#names.add(name);
    return name;
  }

  operation(name: string | null | undefined, type: string, code: string | undefined, seconds: number): void {
    const operation = this.operationLabel(name);
    const label = code === undefined ? 'OK' : KNOWN_CODES.has(code) ? code : 'OTHER';
    this.#operations.inc({ operation, type, code: label });
    this.#operationSeconds.observe({ operation, type }, seconds);
  }

  upstreamAttempt(attempt: {
    upstream: string;
    method: string;
    path: string;
    status: number | null;
    seconds: number;
    attempt: number;
  }): void {
    const route = routeTemplate(attempt.path);
    const statusClass = attempt.status === null ? 'error' : `${Math.floor(attempt.status / 100)}xx`;
    this.#upstreamRequests.inc({
      upstream: attempt.upstream,
      method: attempt.method,
      route,
      status_class: statusClass,
    });
    this.#upstreamSeconds.observe(
      { upstream: attempt.upstream, method: attempt.method, route },
      attempt.seconds,
    );
    if (attempt.attempt > 1) this.#retries.inc({ upstream: attempt.upstream });
  }

  budgetRefused(): void {
    this.#budget.inc();
  }

  viewSync(collection: string, kind: string, ok: boolean, seconds: number): void {
    this.#syncs.inc({ collection, kind, outcome: ok ? 'ok' : 'failed' });
    this.#syncSeconds.observe({ collection, kind }, seconds);
  }

  viewRead(upstream: 'pam' | 'audit', hit: boolean): void {
    this.#readCounts[upstream][hit ? 'hit' : 'miss']++;
  }
}
