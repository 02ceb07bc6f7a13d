/**
 * `/ready` (issue 13 §1), for load balancers and orchestrators; `/health` (Yoga's) stays the liveness probe and never
 * calls an upstream.
 *
 * - `/ready` answers 503 until the first probe of each upstream has completed, and while the process drains (after
 *   SIGTERM or SIGINT, see main.ts); otherwise 200.
 * - Each upstream is probed every `READY_PROBE_INTERVAL_MS` with one GET that carries no credential, so that forward
 *   mode can probe too: any HTTP answer, a 401 included, means "reachable". Probes bypass the circuit breaker and
 *   retries, and count for nothing else.
 * - An unreachable upstream, or one whose circuit breaker is open, fails readiness only with
 *   `READY_REQUIRES_UPSTREAMS=true`: another replica cannot fix an upstream outage, and taking every replica out of
 *   the load balancer would turn a partial outage into a total one.
 * - The body holds each upstream's last probe (reachable, HTTP status, latency, when) and circuit state, and nothing
 *   else: no URL, no credential.
 */
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../logger.js';
import type { CircuitStateName } from '../upstream/breaker.js';
import type { UpstreamHttp } from '../upstream/http.js';

/** A path each upstream answers without a credential with a 401 (docs/upstreams.md §1.1, §2.1). */
const PROBE_PATHS = { pam: '/api/system/accounts', audit: '/ux/nccm/jobs-account-audit/options/' } as const;
type Upstream = keyof typeof PROBE_PATHS;

export interface ProbeResult {
  reachable: boolean;
  /** The HTTP status of the answer; null when there was none. */
  status: number | null;
  latencyMs: number;
  /** ISO time the probe was sent. */
  checkedAt: string;
}

export interface ReadinessSettings {
  /** READY_PROBE_INTERVAL_MS. */
  intervalMs: number;
  /** Deadline of one probe (UPSTREAM_TIMEOUT_MS). */
  timeoutMs: number;
  /** READY_REQUIRES_UPSTREAMS. */
  requireUpstreams: boolean;
}

export interface ReadinessReport {
  status: 'ready' | 'starting' | 'draining' | 'upstream unavailable';
  upstreams: Record<Upstream, (ProbeResult & { circuit: CircuitStateName }) | { circuit: CircuitStateName }>;
}

export class Readiness {
  readonly #last: Partial<Record<Upstream, ProbeResult>> = {};
  #draining = false;
  #timer: ReturnType<typeof setInterval> | undefined;
  #probing: Promise<void> | undefined;

  constructor(
    private readonly upstreams: Record<Upstream, UpstreamHttp>,
    private readonly settings: ReadinessSettings,
    private readonly logger: Logger,
  ) {}

  /** Probes now, then every interval (the timer does not keep the process alive). */
  start(): void {
    if (this.#timer) return;
    void this.probe();
    this.#timer = setInterval(() => void this.probe(), this.settings.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** From now on `/ready` answers 503: the process is going away. */
  drain(): void {
    this.#draining = true;
  }

  get draining(): boolean {
    return this.#draining;
  }

  /** Probes both upstreams once (a probe already under way is shared). */
  probe(): Promise<void> {
    this.#probing ??= Promise.all(
      (Object.keys(PROBE_PATHS) as Upstream[]).map((name) => this.#probeOne(name)),
    ).then(
      () => {
        this.#probing = undefined;
      },
      () => {
        this.#probing = undefined;
      },
    );
    return this.#probing;
  }

  async #probeOne(name: Upstream): Promise<void> {
    const checkedAt = new Date().toISOString();
    const started = performance.now();
    let status: number | null = null;
    try {
      status = await this.upstreams[name].probe(PROBE_PATHS[name], this.settings.timeoutMs);
    } catch {
      status = null;
    }
    const result = {
      reachable: status !== null,
      status,
      latencyMs: Math.round(performance.now() - started),
      checkedAt,
    };
    const before = this.#last[name];
    this.#last[name] = result;
    if (!before && !result.reachable) {
      this.logger.warn({ readiness: { upstream: name, reachable: false } }, 'upstream unreachable at start');
    } else if (before && before.reachable !== result.reachable) {
      const log = result.reachable ? this.logger.info.bind(this.logger) : this.logger.warn.bind(this.logger);
      log({ readiness: { upstream: name, reachable: result.reachable } }, 'upstream reachability changed');
    }
  }

  report(): ReadinessReport {
    const upstreams = {} as ReadinessReport['upstreams'];
    let started = true;
    let trouble = false;
    for (const name of Object.keys(PROBE_PATHS) as Upstream[]) {
      const circuit = this.upstreams[name].circuitState;
      const last = this.#last[name];
      upstreams[name] = last ? { ...last, circuit } : { circuit };
      if (!last) started = false;
      else if (!last.reachable || circuit === 'open') trouble = true;
    }
    const status = this.#draining
      ? 'draining'
      : !started
        ? 'starting'
        : trouble && this.settings.requireUpstreams
          ? 'upstream unavailable'
          : 'ready';
    return { status, upstreams };
  }
}

/**
 * Answers `GET /ready` (and `HEAD`) before anything else runs: like Yoga's `/health`, it is exempt from the Host check
 * (a load balancer probes by address), from CSRF prevention and from admission.
 */
export function useReadiness(readiness: Readiness): Plugin {
  return {
    // While draining, every answer closes its connection: a keep-alive client opens a new one, which the load
    // balancer sends elsewhere, instead of slipping a request in after the listener closed.
    onResponse({ response }) {
      if (readiness.draining) response.headers.set('connection', 'close');
    },
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== '/ready' || (request.method !== 'GET' && request.method !== 'HEAD')) return;
      const report = readiness.report();
      const init = {
        status: report.status === 'ready' ? 200 : 503,
        headers: { 'cache-control': 'no-store' },
      };
      endResponse(
        request.method === 'HEAD' ? new fetchAPI.Response(null, init) : fetchAPI.Response.json(report, init),
      );
    },
  };
}
