/**
 * A circuit breaker for one upstream, on cockatiel: after `threshold` failed calls in a row the upstream
 * is not called at all for `cooldownMs`, and every call fails at once with UPSTREAM_UNAVAILABLE (reason
 * `circuit open`). Then one trial call decides: success closes the circuit, failure re-opens it.
 *
 * Why: an upstream that hangs costs every caller the whole deadline and holds a pooled connection while
 * it does; failing fast frees both and stops piling load on an upstream that is trying to recover. What
 * counts as a failure is the caller's judgement (`http.ts`); this file only keeps the count and the state.
 */
import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleType } from 'cockatiel';
import { GatewayError, type UpstreamName } from '../errors.js';
import type { Logger } from '../logger.js';

/** What a readiness check shows. */
export type CircuitStateName = 'closed' | 'open' | 'half-open';

/** How one finished call went: what it returned or what it threw. */
export type Outcome<T> = { value: T } | { error: unknown };

/**
 * Why an outcome counts against the upstream (safe to log: written by us, no URL or body text), or
 * undefined when it does not count.
 */
export type FailureJudge<T> = (outcome: Outcome<T>) => string | undefined;

export interface BreakerOptions {
  upstream: UpstreamName;
  /** Failed calls in a row that open the circuit. Default 5. */
  threshold?: number;
  /** How long an open circuit refuses calls before one trial call, in ms. Default 10,000. */
  cooldownMs?: number;
  logger: Logger;
}

/**
 * A counted outcome, carried through cockatiel as the only error type it handles, so that a write's 5xx
 * (returned, not thrown) counts too. Unwrapped before the caller sees anything; never leaves this file.
 */
class Counted extends Error {
  constructor(
    readonly outcome: Outcome<unknown>,
    readonly why: string,
  ) {
    super('counted upstream failure');
  }
}

const STATE_NAMES: Record<CircuitState, CircuitStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  // Only `isolate()` leads here, and nothing calls it; it refuses calls like an open circuit.
  [CircuitState.Isolated]: 'open',
};

const LABELS: Record<UpstreamName, string> = { pam: 'PAM', audit: 'Audit' };

export class UpstreamBreaker {
  readonly #upstream: UpstreamName;
  readonly #policy: ReturnType<typeof circuitBreaker>;

  constructor(options: BreakerOptions) {
    const { upstream, logger } = options;
    const cooldownMs = options.cooldownMs ?? 10_000;
    this.#upstream = upstream;
    this.#policy = circuitBreaker(handleType(Counted), {
      breaker: new ConsecutiveBreaker(options.threshold ?? 5),
      halfOpenAfter: cooldownMs,
    });
    this.#policy.onBreak((reason) => {
      const lastFailure = 'error' in reason && reason.error instanceof Counted ? reason.error.why : undefined;
      logger.warn({ upstream, cooldownMs, lastFailure }, 'upstream circuit open: calls fail fast');
    });
    this.#policy.onHalfOpen(() => logger.info({ upstream }, 'upstream circuit half-open: one trial call'));
    this.#policy.onReset(() => logger.info({ upstream }, 'upstream circuit closed'));
  }

  get state(): CircuitStateName {
    return STATE_NAMES[this.#policy.state];
  }

  /**
   * Runs `call` unless the circuit is open, and counts its outcome when `judge` names a reason.
   * `signal` is the caller's own: a trial call the caller cancelled proved nothing, and cockatiel would
   * close the circuit on any outcome that is not counted, so such a trial counts and re-opens it instead.
   */
  async run<T>(call: () => Promise<T>, judge: FailureJudge<T>, signal?: AbortSignal): Promise<T> {
    // cockatiel 3 makes calls that arrive during the trial wait for it, up to a whole deadline each; one
    // trial is all the half-open state is for, so the others fail fast as if the circuit were still open.
    if (this.#policy.state === CircuitState.HalfOpen) throw this.#refusal();
    // From the open state, a call that is not refused is the trial (nothing else runs in between).
    const trial = this.#policy.state === CircuitState.Open;
    try {
      return await this.#policy.execute(async () => {
        const outcome = await settle(call);
        const why = judge(outcome) ?? (trial && signal?.aborted ? 'the trial call was cancelled' : undefined);
        if (why !== undefined) throw new Counted(outcome, why);
        return unwrap(outcome);
      });
    } catch (error) {
      if (error instanceof BrokenCircuitError) throw this.#refusal();
      if (error instanceof Counted) return unwrap(error.outcome as Outcome<T>);
      throw error;
    }
  }

  #refusal(): GatewayError {
    return new GatewayError(
      'UPSTREAM_UNAVAILABLE',
      `The ${LABELS[this.#upstream]} upstream failed repeatedly, so calls to it are paused for a short while; try again later.`,
      { upstream: this.#upstream, reason: 'circuit open' },
    );
  }
}

async function settle<T>(call: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { value: await call() };
  } catch (error) {
    return { error };
  }
}

function unwrap<T>(outcome: Outcome<T>): T {
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}
