/**
 * A subscriber of the gateway's SSE endpoint through the graphql-sse client library (distinct connections mode),
 * over a real socket: what a frontend using that library sees, event by event.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'graphql-sse';
import type { Stack } from './stack.js';

export interface SseEvent {
  at: number;
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

export interface SseSubscriber {
  readonly events: SseEvent[];
  /** Set when the stream completed (the server ended it, or after an error event). */
  completedAt: number | undefined;
  /** A transport error the client library reported (not a GraphQL error in an event). */
  failure: unknown;
  /** Resolves when the server has answered with the stream (or rejects when it failed first). */
  readonly connected: Promise<void>;
  /** Waits until `check` holds on the events so far, polling every 20 ms; fails after `timeoutMs`. */
  until(check: (events: SseEvent[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Waits for the stream to complete. */
  ended(timeoutMs?: number): Promise<void>;
  /** Closes the stream from the client side. */
  close(): void;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Mounts the stack's gateway on a loopback port; `close` ends its connections, streams included. */
export async function listen(stack: Stack): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(stack.gateway.yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export function subscribe(
  url: string,
  headers: Record<string, string>,
  query: string,
  variables?: Record<string, unknown>,
): SseSubscriber {
  const client = createClient({ url, headers, retryAttempts: 0, singleConnection: false });
  let onConnected!: () => void;
  let onFailed!: (error: unknown) => void;
  const connected = new Promise<void>((resolve, reject) => {
    onConnected = resolve;
    onFailed = reject;
  });
  connected.catch(() => {});
  const subscriber: SseSubscriber = {
    events: [],
    completedAt: undefined,
    failure: undefined,
    connected,
    async until(check, timeoutMs = 10_000) {
      const deadline = performance.now() + timeoutMs;
      while (!check(subscriber.events)) {
        if (performance.now() > deadline)
          throw new Error(`timed out; events so far: ${JSON.stringify(subscriber.events)}`);
        await sleep(20);
      }
    },
    async ended(timeoutMs = 10_000) {
      const deadline = performance.now() + timeoutMs;
      while (subscriber.completedAt === undefined && subscriber.failure === undefined) {
        if (performance.now() > deadline) throw new Error('the stream did not end');
        await sleep(20);
      }
    },
    close() {
      dispose();
      client.dispose();
    },
  };
  const dispose = client.subscribe(
    { query, ...(variables ? { variables } : {}) },
    {
      next: (result) => {
        onConnected();
        subscriber.events.push({ at: performance.now(), ...(result as Omit<SseEvent, 'at'>) });
      },
      error: (error) => {
        subscriber.failure = error;
        onFailed(error);
      },
      complete: () => {
        onConnected();
        subscriber.completedAt = performance.now();
      },
    },
    { connected: () => onConnected() },
  );
  return subscriber;
}
