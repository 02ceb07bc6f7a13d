/**
 * `REQUEST_TIMEOUT_MS`: a query or mutation that runs longer is cancelled. At the deadline the operation's
 * abort signal fires; every upstream call of the operation listens to it (`upstream/scope.ts`), so calls in
 * flight are aborted, later ones are never sent, and each field still waiting fails with
 * `OPERATION_TIMEOUT`. Fields that were already resolved keep their data.
 *
 * The clock starts when execution starts and stops when `execute` returns: an incremental (`@defer`)
 * response or a subscription returns a stream, and what it streams later is not cut by this deadline.
 */
import type { Plugin } from 'graphql-yoga';
import { operationTimeout } from '../errors.js';

export interface OperationDeadline {
  readonly timeoutMs: number;
  /** Fires when the operation has run past its deadline. */
  readonly signal: AbortSignal;
  /** Starts the clock; returns the function that stops it. */
  start(): () => void;
}

export function createOperationDeadline(timeoutMs: number): OperationDeadline {
  const controller = new AbortController();
  return {
    timeoutMs,
    signal: controller.signal,
    start() {
      const timer = setTimeout(() => controller.abort(operationTimeout(timeoutMs)), timeoutMs);
      return () => clearTimeout(timer);
    },
  };
}

export function useOperationDeadline(): Plugin<{ deadline?: OperationDeadline }> {
  return {
    onExecute({ args }) {
      const stop = args.contextValue.deadline?.start();
      return { onExecuteDone: () => stop?.() };
    },
  };
}
