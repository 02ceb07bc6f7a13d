/**
 * What every upstream call of one GraphQL request shares: the caller's credential for that upstream,
 * the request id, the abort signal, and the hook that records the call. Built per request by `context.ts`.
 */
import { GatewayError, operationTimeout, type UpstreamName } from '../errors.js';
import type { TraceHolder } from '../ops/tracing.js';
import type { UpstreamCall, UpstreamHttp, UpstreamRequest, UpstreamResponse } from './http.js';
import { errorForStatus } from './status.js';

/**
 * How many upstream requests one GraphQL operation may send (both upstreams together). A request that
 * would go over it is not sent: the field fails with UPSTREAM_BUDGET_EXCEEDED. Retries do not count.
 */
export class RequestBudget {
  #used = 0;

  constructor(
    readonly limit: number,
    /** Told of each request refused (the metrics). */
    private readonly onRefused?: () => void,
  ) {}

  get used(): number {
    return this.#used;
  }

  spend(): void {
    if (this.#used >= this.limit) {
      this.onRefused?.();
      throw new GatewayError(
        'UPSTREAM_BUDGET_EXCEEDED',
        `This operation needs more than ${this.limit} upstream requests; ask for fewer objects or smaller pages.`,
      );
    }
    this.#used++;
  }
}

export interface CallScope {
  /** The credential to send, or undefined when the caller has none for this upstream. */
  credential: string | undefined;
  /** Name of the request header the caller should have used, for the error message. */
  credentialHeader: string;
  requestId: string;
  signal?: AbortSignal;
  observe?: (call: UpstreamCall) => void;
  /** Shared by both upstreams of one operation. */
  budget: RequestBudget;
  /**
   * Fires when the operation ran past REQUEST_TIMEOUT_MS: no new call is sent, and a call it aborted (through
   * `signal`, which includes it) fails with OPERATION_TIMEOUT.
   */
  deadline?: { signal: AbortSignal; timeoutMs: number };
  /** Called before each call is sent: the request gives its admission place up (src/admission.ts). */
  onSend?: () => void;
  /** The operation's (or the sync's) trace and call plan; filled in when the operation starts executing. */
  trace?: TraceHolder;
}

/** Binds an upstream's HTTP client to one request's scope. */
export class ScopedUpstream {
  constructor(
    readonly http: UpstreamHttp,
    readonly scope: CallScope,
  ) {}

  get name(): UpstreamName {
    return this.http.name;
  }

  /** Sends a call with the caller's credential; fails before any I/O when there is none. */
  send(
    req: Omit<UpstreamRequest, 'authorization' | 'requestId' | 'signal' | 'trace'>,
  ): Promise<UpstreamResponse> {
    const { credential, credentialHeader, requestId, signal, observe, budget, deadline, trace } = this.scope;
    const write = req.method !== 'GET';
    // Refused before sending: even a write certainly did nothing, so its outcome is not "unknown".
    if (deadline?.signal.aborted) return Promise.reject(operationTimeout(deadline.timeoutMs));
    if (credential === undefined) {
      const label = this.name === 'pam' ? 'PAM token' : 'Audit API key';
      return Promise.reject(
        new GatewayError(
          'UNAUTHENTICATED',
          `No ${label} was given: send it in the ${credentialHeader} header.`,
          {
            upstream: this.name,
          },
        ),
      );
    }
    try {
      budget.spend();
    } catch (error) {
      return Promise.reject(error);
    }
    this.scope.onSend?.();
    return this.http
      .request({ ...req, authorization: credential, requestId, signal, trace: trace?.parent }, observe)
      .catch((error: unknown) => {
        // The operation's own deadline cut the call: say so, rather than "cancelled" or "unavailable".
        if (deadline?.signal.aborted) throw operationTimeout(deadline.timeoutMs, write);
        throw error;
      });
  }

  /** Sends a GET and returns the body of a 200; other statuses become `GatewayError`s. */
  async get(path: string, query?: UpstreamRequest['query']): Promise<unknown> {
    const response = await this.send({ method: 'GET', path, query });
    if (response.status !== 200) throw errorForStatus(this.name, response.status);
    return response.body;
  }

  /** Like `get`, but a 404 is `null`: the object does not exist or is not visible to this caller. */
  async getOrNull(path: string): Promise<unknown | null> {
    const response = await this.send({ method: 'GET', path });
    if (response.status === 404) return null;
    if (response.status !== 200) throw errorForStatus(this.name, response.status);
    return response.body;
  }
}
