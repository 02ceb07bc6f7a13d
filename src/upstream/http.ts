/**
 * HTTP to one upstream origin: one undici pool with keep-alive, a deadline per call (retries included),
 * retries for GET only (policy in `retry.ts`), a circuit breaker over whole calls (`breaker.ts`), no
 * redirects, a response-size cap, and JSON parsing. It returns the status and parsed body for the client
 * modules (`pam.ts`, `audit.ts`) to interpret, and throws `GatewayError` for transport failures. Nothing
 * here knows GraphQL, and no URL, header or body text reaches an error message.
 */
import { rootCertificates } from 'node:tls';
import { Pool } from 'undici';
import { GatewayError, type UpstreamName } from '../errors.js';
import type { Logger } from '../logger.js';
import { type CallTrace, type UpstreamSpan, withUpstreamSpan } from '../ops/tracing.js';
import { type CircuitStateName, type Outcome, UpstreamBreaker } from './breaker.js';
import {
  backoffMs,
  errorCode,
  isRetryable,
  RETRYABLE_STATUS,
  RetryableStatus,
  retryAfterMs,
  sleep,
} from './retry.js';
import { routeTemplate } from './route.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface UpstreamRequest {
  method: HttpMethod;
  /** Path below the upstream's base URL, starting with `/`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** The credential, sent as `Authorization` exactly as given. */
  authorization?: string;
  /** JSON body of a write. */
  body?: unknown;
  /** Correlates the upstream's logs with ours. */
  requestId?: string;
  /** Aborts the call when the GraphQL request is gone. */
  signal?: AbortSignal;
  /** The span (or caller's `traceparent`) the call belongs to (src/ops/tracing.ts). */
  trace?: CallTrace | undefined;
  /** W3C trace context of the call (set here from `trace`). */
  traceparent?: string | undefined;
}

export interface UpstreamResponse {
  status: number;
  /**
   * Parsed JSON, or undefined for an empty body. Also undefined for a redirect and for an error status
   * whose body is not JSON (a proxy's HTML page): the status is what the caller branches on.
   */
  body: unknown;
}

/** One upstream exchange as seen by the gateway, for the per-request call log. */
/** One attempt of a call, told when it ends. */
export interface UpstreamCall {
  upstream: UpstreamName;
  method: HttpMethod;
  path: string;
  status: number | null;
  attempt: number;
  durationMs: number;
  /** The call (all its attempts): an id unique in the process, when it started, how long it has taken so far. */
  callId: number;
  callStartedAt: number;
  callDurationMs: number;
}

let calls = 0;

export interface UpstreamHttpOptions {
  name: UpstreamName;
  /** Base URL; a path prefix is kept in front of every request path. */
  baseUrl: string;
  /** Deadline of one call including retries and their waits, in ms. */
  timeoutMs: number;
  /** Concurrent connections to the origin. */
  connections: number;
  /** Largest response body accepted, in bytes. */
  maxResponseBytes: number;
  /** Extra trusted CA certificates (PEM), added to Node's bundled roots (not replacing them). */
  ca?: string | undefined;
  logger: Logger;
  /** Most attempts of a GET (default 3). Writes are attempted exactly once. */
  maxAttempts?: number;
  /** First backoff step in ms (default 100); doubles per attempt, with full jitter. */
  backoffMs?: number;
  /**
   * Failed calls in a row (retries included in one call) that open the circuit (default 5). `false`: no
   * breaker at all — only for the benchmark that measures what the breaker costs.
   */
  breakerThreshold?: number | false;
  /** How long an open circuit refuses calls before one trial call, in ms (default 10,000). */
  breakerCooldownMs?: number;
  /** Told of every attempt (request sent), whoever made it: the metrics. */
  onAttempt?: ((attempt: UpstreamCall) => void) | undefined;
}

/** undici's own per-phase timers; they are set to the deadline, so they mean the same thing. */
const TIMEOUT_CODES: ReadonlySet<string> = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** The TLS handshake refused the upstream's certificate (untrusted issuer, wrong name, expired...). */
const TLS_CODES: ReadonlySet<string> = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Failures before a single byte of the request was sent: even a write certainly did nothing. */
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  ...TLS_CODES,
]);

const UNKNOWN_OUTCOME = '; the outcome of the write is unknown';

/** What one `request()` call shares across its attempts. */
interface CallState {
  req: UpstreamRequest;
  /** Fires at the deadline; tells a timeout apart from the caller's own abort. */
  deadline: AbortSignal;
  /** Deadline or the caller's abort, whichever comes first. */
  signal: AbortSignal;
  /** `performance.now()` at which the deadline falls. */
  deadlineAt: number;
}

export class UpstreamHttp {
  readonly name: UpstreamName;
  readonly #pool: Pool;
  /** One connection of its own for readiness probes, so that a busy pool's queue does not read as "unreachable". */
  readonly #probes: Pool;
  readonly #prefix: string;
  readonly #options: UpstreamHttpOptions;
  readonly #breaker: UpstreamBreaker | undefined;

  constructor(options: UpstreamHttpOptions) {
    const url = new URL(options.baseUrl);
    this.name = options.name;
    this.#options = options;
    this.#breaker =
      options.breakerThreshold === false
        ? undefined
        : new UpstreamBreaker({
            upstream: options.name,
            threshold: options.breakerThreshold,
            cooldownMs: options.breakerCooldownMs,
            logger: options.logger,
          });
    this.#prefix = url.pathname.replace(/\/+$/, '');
    const pool = (connections: number) =>
      new Pool(url.origin, {
        connections,
        pipelining: 1,
        keepAliveTimeout: 30_000,
        // The per-call deadline (an AbortSignal) is the real limit: bodyTimeout is per chunk, so a dripping
        // body would never trip it. These only stop a socket that somehow outlives the deadline.
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
        // `ca` alone would replace the trust store; a private CA is meant to be trusted in addition.
        connect: options.ca ? { ca: [...rootCertificates, options.ca] } : {},
      });
    this.#pool = pool(options.connections);
    this.#probes = pool(1);
  }

  /** The circuit breaker's state, for readiness: `open` means calls fail at once without being sent. */
  get circuitState(): CircuitStateName {
    return this.#breaker?.state ?? 'closed';
  }

  /**
   * Sends one call; calls `observe` once per attempt. Throws `GatewayError` on transport failure, and
   * at once, sending nothing, while the circuit is open. The breaker wraps the whole retry loop, so a
   * call counts once however many attempts it took.
   */
  request(req: UpstreamRequest, observe?: (call: UpstreamCall) => void): Promise<UpstreamResponse> {
    const info = { upstream: this.name, method: req.method, route: routeTemplate(req.path) };
    return withUpstreamSpan(info, req.trace, (span) => {
      const traced = span.traceparent === undefined ? req : { ...req, traceparent: span.traceparent };
      const attempts = () => this.#attempts(traced, observe, span);
      if (!this.#breaker) return attempts();
      return this.#breaker.run(attempts, (outcome) => this.#failureOf(outcome, req), req.signal);
    });
  }

  close(): Promise<void> {
    return Promise.all([this.#pool.close(), this.#probes.close()]).then(() => undefined);
  }

  /** Closes the pool at once, aborting requests still in flight (shared work nobody waits for any more). */
  destroy(): Promise<void> {
    return Promise.all([this.#pool.destroy(), this.#probes.destroy()]).then(() => undefined);
  }

  /**
   * The readiness probe: one GET of `path` with no credential, on a connection of its own, outside the circuit breaker
   * and without retries, so that it says whether the upstream answers at all (not whether the pool has a free
   * connection). Any HTTP status means reachable (a 401 included); rejects on a
   * transport failure or after `timeoutMs`.
   */
  async probe(path: string, timeoutMs: number): Promise<number> {
    const response = await this.#probes.request({
      method: 'GET',
      path: this.#prefix + path,
      headers: { accept: 'application/json', 'x-request-id': 'pamgraph-readiness-probe' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body.dump().catch(() => undefined);
    return response.statusCode;
  }

  async #attempts(
    req: UpstreamRequest,
    observe: ((call: UpstreamCall) => void) | undefined,
    span: UpstreamSpan,
  ): Promise<UpstreamResponse> {
    const deadline = AbortSignal.timeout(this.#options.timeoutMs);
    const signal = req.signal ? AbortSignal.any([deadline, req.signal]) : deadline;
    const call: CallState = {
      req,
      deadline,
      signal,
      deadlineAt: performance.now() + this.#options.timeoutMs,
    };
    const callId = ++calls;
    const callStartedAt = performance.now();
    const maxAttempts = req.method === 'GET' ? (this.#options.maxAttempts ?? 3) : 1;
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      let status: number | null = null;
      let told = false;
      // Told when the attempt ends: before any back-off, which belongs to no attempt.
      const tell = () => {
        if (told) return;
        told = true;
        const now = performance.now();
        const record = {
          upstream: this.name,
          method: req.method,
          path: req.path,
          status,
          attempt,
          durationMs: now - started,
          callId,
          callStartedAt,
          callDurationMs: now - callStartedAt,
        };
        observe?.(record);
        this.#options.onAttempt?.(record);
        span.attempt(status, attempt);
      };
      try {
        const response = await this.#once(req, signal);
        status = response.status;
        return response;
      } catch (error) {
        if (error instanceof RetryableStatus) status = error.status;
        tell();
        const waitMs = this.#waitBeforeRetry(error, attempt, maxAttempts, call);
        if (waitMs === undefined) throw this.#toGatewayError(error, call);
        this.#options.logger.debug(
          { upstream: this.name, path: req.path, attempt, waitMs },
          'upstream retry',
        );
        await sleep(waitMs, signal).catch((reason: unknown) => {
          throw this.#toGatewayError(reason, call);
        });
      } finally {
        tell();
      }
    }
  }

  /**
   * Why a finished call counts against the circuit, or undefined. Counted: a timeout, an unreachable
   * upstream, a 5xx (a write's 5xx is returned, not thrown, and counts all the same). Not counted: a 429
   * (the upstream is alive and pacing us), a body we could not use, and the caller's own cancellation.
   */
  #failureOf(outcome: Outcome<UpstreamResponse>, req: UpstreamRequest): string | undefined {
    if ('value' in outcome) {
      const { status } = outcome.value;
      return status >= 500 ? this.#say(`answered HTTP ${status}`) : undefined;
    }
    const { error } = outcome;
    if (!(error instanceof GatewayError)) return undefined;
    if (error.code === 'UPSTREAM_TIMEOUT') return error.message;
    if (error.code !== 'UPSTREAM_UNAVAILABLE' || req.signal?.aborted) return undefined;
    return error.details.status === 429 ? undefined : error.message;
  }

  /**
   * How long to wait before the next attempt, or undefined to give up now: the error is final, attempts
   * are spent, or the wait (jitter or `Retry-After`) would end past the deadline, where sleeping only
   * turns an honest "unavailable" into a late "timeout".
   */
  #waitBeforeRetry(
    error: unknown,
    attempt: number,
    maxAttempts: number,
    call: CallState,
  ): number | undefined {
    if (call.signal.aborted || attempt >= maxAttempts || !isRetryable(error)) return undefined;
    const waitMs = backoffMs(attempt, this.#options.backoffMs ?? 100, error);
    return waitMs < call.deadlineAt - performance.now() ? waitMs : undefined;
  }

  async #once(req: UpstreamRequest, signal: AbortSignal): Promise<UpstreamResponse> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (req.authorization !== undefined) headers.authorization = req.authorization;
    if (req.requestId !== undefined) headers['x-request-id'] = req.requestId;
    if (req.traceparent !== undefined) headers.traceparent = req.traceparent;
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.#pool.request({
      method: req.method,
      path: this.#prefix + req.path + queryString(req.query),
      headers,
      body,
      signal,
    });
    const status = response.statusCode;
    const retryable = req.method === 'GET' && RETRYABLE_STATUS.has(status);
    if (retryable || (status >= 300 && status < 400)) {
      // Redirects are not followed (a token must not travel to another origin); the caller sees the status.
      await response.body.dump().catch(() => undefined);
      signal.throwIfAborted();
      if (!retryable) return { status, body: undefined };
      throw new RetryableStatus(status, retryAfterMs(response.headers['retry-after']));
    }
    const text = await this.#readCapped(response.body, response.headers['content-length']);
    return { status, body: this.#parse(text, status) };
  }

  /** Reads the body up to the cap; past it, destroys the body (and so its socket) instead of draining it. */
  async #readCapped(body: AsyncIterable<Buffer> & { destroy(): unknown }, length: unknown): Promise<string> {
    const cap = this.#options.maxResponseBytes;
    const tooLarge = () =>
      new GatewayError('UPSTREAM_BAD_RESPONSE', this.#say('answered with a response that is too large'), {
        upstream: this.name,
      });
    if (typeof length === 'string' && Number(length) > cap) {
      body.destroy();
      throw tooLarge();
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += chunk.length;
      if (size > cap) {
        body.destroy();
        throw tooLarge();
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  #parse(text: string, status: number): unknown {
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text);
    } catch {
      // An error status says enough on its own; a proxy's HTML error page must not hide it.
      if (status < 200 || status >= 300) return undefined;
      throw new GatewayError('UPSTREAM_BAD_RESPONSE', this.#say('answered with a body that is not JSON'), {
        upstream: this.name,
        status,
      });
    }
  }

  #toGatewayError(error: unknown, call: CallState): GatewayError {
    if (error instanceof GatewayError) return error;
    const upstream = this.name;
    const code = errorCode(error);
    const write = call.req.method !== 'GET';
    if (call.deadline.aborted || (code !== undefined && TIMEOUT_CODES.has(code))) {
      const what = `did not answer in time${write ? UNKNOWN_OUTCOME : ''}`;
      return new GatewayError('UPSTREAM_TIMEOUT', this.#say(what), { upstream });
    }
    if (call.req.signal?.aborted) {
      const what = `call was abandoned because the request was cancelled${write ? UNKNOWN_OUTCOME : ''}`;
      return new GatewayError('UPSTREAM_UNAVAILABLE', this.#say(what), { upstream });
    }
    if (error instanceof RetryableStatus) {
      const { status } = error;
      return new GatewayError('UPSTREAM_UNAVAILABLE', this.#say(`is unavailable (HTTP ${status})`), {
        upstream,
        status,
      });
    }
    if (code !== undefined && TLS_CODES.has(code)) {
      return new GatewayError(
        'UPSTREAM_UNAVAILABLE',
        this.#say('presented a certificate that is not trusted'),
        {
          upstream,
        },
      );
    }
    const sent = code === undefined || !NOT_SENT_CODES.has(code);
    const what = `could not be reached${write && sent ? UNKNOWN_OUTCOME : ''}`;
    return new GatewayError('UPSTREAM_UNAVAILABLE', this.#say(what), { upstream });
  }

  #say(what: string): string {
    return `The ${this.name === 'pam' ? 'PAM' : 'Audit'} upstream ${what}.`;
  }
}

function queryString(query: UpstreamRequest['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}
