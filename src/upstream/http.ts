/**
 * HTTP to one upstream origin: one undici pool with keep-alive, a deadline per call (retries included),
 * retries for GET only, no redirects, a response-size cap, and JSON parsing. It returns the status and
 * parsed body for the client modules (`pam.ts`, `audit.ts`) to interpret, and throws `GatewayError` for
 * transport failures. Nothing here knows GraphQL, and no URL, header or body text reaches an error message.
 */
import { Pool } from 'undici';
import { GatewayError, type UpstreamName } from '../errors.js';
import type { Logger } from '../logger.js';

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
}

export interface UpstreamResponse {
  status: number;
  /** Parsed JSON, or undefined for an empty body. */
  body: unknown;
}

/** One upstream exchange as seen by the gateway, for the per-request call log. */
export interface UpstreamCall {
  upstream: UpstreamName;
  method: HttpMethod;
  path: string;
  status: number | null;
  attempt: number;
  durationMs: number;
}

export interface UpstreamHttpOptions {
  name: UpstreamName;
  /** Base URL; a path prefix is kept in front of every request path. */
  baseUrl: string;
  /** Deadline of one call including retries, in ms. */
  timeoutMs: number;
  /** Concurrent connections to the origin. */
  connections: number;
  /** Largest response body accepted, in bytes. */
  maxResponseBytes: number;
  /** Extra trusted CA certificates (PEM). */
  ca?: string | undefined;
  logger: Logger;
  /** Most attempts of a GET (default 3). Writes are attempted exactly once. */
  maxAttempts?: number;
  /** First backoff step in ms (default 100); doubles per attempt, with full jitter. */
  backoffMs?: number;
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/** Seconds or an HTTP date, as `Retry-After` allows; undefined when absent or unreadable. */
function retryAfterMs(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

class RetryableStatus extends Error {
  constructor(
    readonly status: number,
    readonly waitMs: number | undefined,
  ) {
    super(`retryable status ${status}`);
  }
}

export class UpstreamHttp {
  readonly name: UpstreamName;
  readonly #pool: Pool;
  readonly #prefix: string;
  readonly #options: UpstreamHttpOptions;

  constructor(options: UpstreamHttpOptions) {
    const url = new URL(options.baseUrl);
    this.name = options.name;
    this.#options = options;
    this.#prefix = url.pathname.replace(/\/+$/, '');
    this.#pool = new Pool(url.origin, {
      connections: options.connections,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      // The per-call deadline below is the real limit; these only stop a socket that hangs past it.
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: options.ca ? { ca: options.ca } : {},
    });
  }

  /** Sends one call; calls `observe` once per attempt. Throws `GatewayError` on transport failure. */
  async request(req: UpstreamRequest, observe?: (call: UpstreamCall) => void): Promise<UpstreamResponse> {
    const deadline = AbortSignal.timeout(this.#options.timeoutMs);
    const signal = req.signal ? AbortSignal.any([deadline, req.signal]) : deadline;
    const maxAttempts = req.method === 'GET' ? (this.#options.maxAttempts ?? 3) : 1;
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      let status: number | null = null;
      try {
        const response = await this.#once(req, signal);
        status = response.status;
        return response;
      } catch (error) {
        if (error instanceof RetryableStatus) status = error.status;
        const retry = attempt < maxAttempts && this.#retryable(error);
        if (!retry) throw this.#toGatewayError(error, deadline, req.method);
        const waitMs = this.#backoff(attempt, error);
        this.#options.logger.debug(
          { upstream: this.name, path: req.path, attempt, waitMs },
          'upstream retry',
        );
        await sleep(waitMs, signal).catch((reason) => {
          throw this.#toGatewayError(reason, deadline, req.method);
        });
      } finally {
        const durationMs = performance.now() - started;
        observe?.({ upstream: this.name, method: req.method, path: req.path, status, attempt, durationMs });
      }
    }
  }

  close(): Promise<void> {
    return this.#pool.close();
  }

  async #once(req: UpstreamRequest, signal: AbortSignal): Promise<UpstreamResponse> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (req.authorization !== undefined) headers.authorization = req.authorization;
    if (req.requestId !== undefined) headers['x-request-id'] = req.requestId;
    let body: string | undefined;
    if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers['content-type'] = 'application/json';
    }
    const response = await this.#pool.request({
      method: req.method,
      path: this.#prefix + req.path + queryString(req.query),
      headers,
      body,
      signal,
    });
    if (req.method === 'GET' && RETRYABLE_STATUS.has(response.statusCode)) {
      await response.body.dump().catch(() => undefined);
      throw new RetryableStatus(response.statusCode, retryAfterMs(response.headers['retry-after']));
    }
    const text = await this.#readCapped(response.body, response.headers['content-length']);
    return { status: response.statusCode, body: this.#parse(text, response.statusCode) };
  }

  async #readCapped(body: AsyncIterable<Buffer> & { destroy(): unknown }, length: unknown): Promise<string> {
    const cap = this.#options.maxResponseBytes;
    if (typeof length === 'string' && Number(length) > cap) {
      body.destroy();
      throw new GatewayError(
        'UPSTREAM_BAD_RESPONSE',
        this.#say('answered with a response that is too large'),
        {
          upstream: this.name,
        },
      );
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += chunk.length;
      if (size > cap) {
        body.destroy();
        throw new GatewayError(
          'UPSTREAM_BAD_RESPONSE',
          this.#say('answered with a response that is too large'),
          {
            upstream: this.name,
          },
        );
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
      throw new GatewayError('UPSTREAM_BAD_RESPONSE', this.#say('answered with a body that is not JSON'), {
        upstream: this.name,
        status,
      });
    }
  }

  #retryable(error: unknown): boolean {
    if (error instanceof RetryableStatus) return true;
    if (error instanceof GatewayError) return false;
    const code = (error as { code?: unknown } | null)?.code;
    // Connection-level failures: nothing was processed, so a GET can safely go again.
    return (
      typeof code === 'string' &&
      ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ETIMEDOUT'].includes(code)
    );
  }

  #backoff(attempt: number, error: unknown): number {
    const base = this.#options.backoffMs ?? 100;
    const jittered = Math.random() * base * 2 ** (attempt - 1);
    const asked = error instanceof RetryableStatus ? error.waitMs : undefined;
    return Math.max(jittered, asked ?? 0);
  }

  #toGatewayError(error: unknown, deadline: AbortSignal, method: HttpMethod): GatewayError {
    if (error instanceof GatewayError) return error;
    if (deadline.aborted) {
      const outcome = method === 'GET' ? '' : '; the outcome of the write is unknown';
      return new GatewayError('UPSTREAM_TIMEOUT', this.#say(`did not answer in time${outcome}`), {
        upstream: this.name,
      });
    }
    if (error instanceof RetryableStatus) {
      return new GatewayError('UPSTREAM_UNAVAILABLE', this.#say(`is unavailable (HTTP ${error.status})`), {
        upstream: this.name,
        status: error.status,
      });
    }
    return new GatewayError('UPSTREAM_UNAVAILABLE', this.#say('could not be reached'), {
      upstream: this.name,
    });
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
