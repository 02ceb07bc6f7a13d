/**
 * When a GET may go again and how long to wait first. Writes never go again: a reset or a 503 after a
 * write was sent does not prove the upstream did nothing, and a second POST could create a duplicate.
 */

/** Statuses that say "try later" without the request having been processed. */
export const RETRYABLE_STATUS: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** Connection-level failures: nothing usable came back, so a GET (idempotent) can safely go again. */
const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** A retryable status, thrown inside the attempt loop so the loop decides; never leaves `http.ts`. */
export class RetryableStatus extends Error {
  constructor(
    readonly status: number,
    /** What `Retry-After` asked for, in ms. */
    readonly waitMs: number | undefined,
  ) {
    super(`retryable status ${status}`);
  }
}

/** The `code` of a Node or undici error, if it has a string one. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isRetryable(error: unknown): boolean {
  if (error instanceof RetryableStatus) return true;
  const code = errorCode(error);
  return code !== undefined && RETRYABLE_CODES.has(code);
}

/** `Retry-After` in ms: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Wait before attempt `attempt + 1`: full jitter over `baseMs · 2^(attempt-1)`, so that many gateways
 * failing together do not retry in step, but never less than the upstream's `Retry-After`.
 */
export function backoffMs(attempt: number, baseMs: number, error: unknown): number {
  const jittered = Math.random() * baseMs * 2 ** (attempt - 1);
  const asked = error instanceof RetryableStatus ? error.waitMs : undefined;
  return Math.max(jittered, asked ?? 0);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
