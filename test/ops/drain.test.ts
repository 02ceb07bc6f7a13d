/**
 * Graceful drain (issue 13 §2), on a real process with real signals: `/ready` answers 503 for DRAIN_DELAY_MS while
 * requests are still served, then the listener closes, an operation in flight against a slow upstream completes with
 * its data, a live subscription ends with `complete`, and the process exits 0. A second signal exits at once; an
 * operation still running at SHUTDOWN_TIMEOUT_MS is cut.
 */
import { get, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { killGatewayProcesses, startGatewayProcess } from '../support/gateway-process.js';
import { sleep } from '../support/sse.js';

afterEach(killGatewayProcesses);

const SMALL = {
  SIMULATOR_ACCOUNTS: '50',
  SIMULATOR_SERVERS: '10',
  SIMULATOR_SAFES: '5',
  SIMULATOR_LISTENERS: '3',
  SIMULATOR_USERS: '10',
  SIMULATOR_AUDIT_ENTRIES: '200',
};
const QUERY = JSON.stringify({ query: '{ accounts(first: 2) { edges { node { name } } } }' });

/** The query, as a client sends it. */
const postQuery = (url: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: QUERY });
/** Whether a request was answered or its connection cut. */
const outcome = (response: Promise<Response>) =>
  response.then(
    () => 'answered',
    () => 'cut',
  );

const readyOf = async (url: string) => {
  const response = await fetch(url.replace(/\/graphql$/, '/ready'));
  return { status: response.status, body: (await response.json()) as { status: string } };
};

async function servingGateway(env: Record<string, string>) {
  const gateway = startGatewayProcess({ PORT: '0', LOG_LEVEL: 'info', ...SMALL, ...env });
  const url = await gateway.ready;
  const deadline = performance.now() + 10_000;
  while ((await readyOf(url)).status !== 200) {
    if (performance.now() > deadline) throw new Error(`never ready:\n${gateway.output()}`);
    await sleep(50);
  }
  return { gateway, url };
}

describe('SIGTERM', () => {
  it('drains: /ready 503, the operation in flight gets its data, the stream completes, exit 0', async () => {
    const { gateway, url } = await servingGateway({ SIMULATOR_LATENCY_MS: '1200', DRAIN_DELAY_MS: '800' });
    // A live subscription, read as a client would.
    const stream = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { auditEntryAdded { auditId } }' }),
    });
    expect(stream.status).toBe(200);
    const streamText = stream.text();

    const inFlight = postQuery(url);
    await sleep(200);
    const signalledAt = performance.now();
    gateway.child.kill('SIGTERM');
    await sleep(150);
    // Still accepting during the drain delay, but no longer ready; and every answer now closes its connection.
    const draining = await readyOf(url);
    expect(draining.status).toBe(503);
    expect(draining.body.status).toBe('draining');
    const closing = await new Promise<IncomingMessage>((resolve, reject) =>
      get(url.replace(/\/graphql$/, '/health'), resolve).once('error', reject),
    );
    closing.resume();
    expect(closing.headers.connection).toBe('close');

    const response = await inFlight;
    const body = (await response.json()) as { data?: { accounts: { edges: unknown[] } }; errors?: unknown };
    expect(response.status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data?.accounts.edges).toHaveLength(2);

    const events = await streamText;
    expect(events).toMatch(/event: complete\n/);
    expect(await gateway.exited).toBe(0);
    // Not before the drain delay was over.
    expect(performance.now() - signalledAt).toBeGreaterThan(800);
    await expect(fetch(url, { method: 'POST', body: QUERY })).rejects.toThrow();
    expect(gateway.output()).toContain('draining: /ready answers 503');
  }, 30_000);

  it('closes the listener after the drain delay: a new connection is refused while an operation finishes', async () => {
    const { gateway, url } = await servingGateway({ SIMULATOR_LATENCY_MS: '2000', DRAIN_DELAY_MS: '300' });
    const inFlight = postQuery(url);
    await sleep(200);
    gateway.child.kill('SIGTERM');
    await sleep(800);
    // The operation still runs (its upstream answers after 2 s), but nobody new gets in.
    await expect(fetch(url.replace(/\/graphql$/, '/health'))).rejects.toThrow();
    const response = await inFlight;
    expect(((await response.json()) as { data?: unknown }).data).toBeDefined();
    expect(await gateway.exited).toBe(0);
  }, 30_000);

  it('exits at once on a second signal', async () => {
    const { gateway, url } = await servingGateway({ SIMULATOR_LATENCY_MS: '3000', DRAIN_DELAY_MS: '5000' });
    const inFlight = outcome(postQuery(url));
    await sleep(200);
    gateway.child.kill('SIGTERM');
    await sleep(200);
    const second = performance.now();
    gateway.child.kill('SIGINT');
    expect(await gateway.exited).toBe(1);
    expect(performance.now() - second).toBeLessThan(2000);
    expect(await inFlight).toBe('cut');
    expect(gateway.output()).toContain('second signal');
  }, 30_000);

  it('cuts what still runs at SHUTDOWN_TIMEOUT_MS, and still exits 0', async () => {
    const { gateway, url } = await servingGateway({
      SIMULATOR_LATENCY_MS: '4000',
      DRAIN_DELAY_MS: '0',
      SHUTDOWN_TIMEOUT_MS: '500',
    });
    const inFlight = outcome(postQuery(url));
    await sleep(200);
    const signalled = performance.now();
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
    expect(performance.now() - signalled).toBeLessThan(3000);
    expect(await inFlight).toBe('cut');
    expect(gateway.output()).toContain('SHUTDOWN_TIMEOUT_MS');
  }, 30_000);
});
