/**
 * REQUEST_TIMEOUT_MS: an operation that runs longer is cancelled — its upstream calls are aborted (the hung
 * upstream sees its connection closed), the fields that waited answer OPERATION_TIMEOUT, fields already
 * resolved keep their data, and a write cut this way says its outcome is unknown. The upstream's own
 * deadline (UPSTREAM_TIMEOUT_MS) is far longer here, so only the operation's deadline can explain the answer.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FaultServer, hang, startFaultServer } from '../support/fault-server.js';
import { type Stack, startStack } from '../support/stack.js';

const OPERATION_MS = 400;
const UPSTREAM_MS = 8_000;

let fault: FaultServer;
let stack: Stack;
beforeAll(async () => {
  fault = await startFaultServer();
  fault.setFallback(hang());
  stack = await startStack({
    pam: { url: fault.url },
    settings: { requestTimeoutMs: OPERATION_MS, upstreamTimeoutMs: UPSTREAM_MS, breakerThreshold: 1000 },
  });
});
afterAll(async () => {
  await stack.stop();
  await fault.stop();
});
afterEach(() => fault.reset());

async function waitFor(condition: () => boolean, ms = 3000): Promise<boolean> {
  const until = performance.now() + ms;
  while (!condition() && performance.now() < until) await new Promise((r) => setTimeout(r, 20));
  return condition();
}

describe('REQUEST_TIMEOUT_MS', () => {
  it('cancels a query: the hung field answers OPERATION_TIMEOUT, the resolved one keeps its data', async () => {
    const started = performance.now();
    const res = await stack.query<{
      accounts: unknown;
      auditEntries: { edges: Array<{ node: { jobName: string } }> };
    }>(
      '{ accounts(first: 2) { edges { node { name } } } auditEntries(first: 2) { edges { node { jobName } } } }',
    );
    const elapsed = performance.now() - started;

    expect(elapsed).toBeGreaterThanOrEqual(OPERATION_MS - 20);
    expect(elapsed).toBeLessThan(UPSTREAM_MS / 2);
    expect(res.data?.accounts).toBeNull();
    expect(res.data?.auditEntries.edges).toHaveLength(2);
    expect(res.errors).toHaveLength(1);
    expect(res.errors?.[0]?.extensions?.code).toBe('OPERATION_TIMEOUT');
    expect(res.errors?.[0]?.path).toEqual(['accounts']);
    expect(res.errors?.[0]?.message).toContain('REQUEST_TIMEOUT_MS');
    expect(res.errors?.[0]?.message).not.toContain('write');
    // The upstream call was aborted, not left to run out its own deadline.
    expect(fault.requests.length).toBeGreaterThan(0);
    const connection = fault.requests[0]?.connection ?? 0;
    expect(await waitFor(() => !fault.isOpen(connection))).toBe(true);
  });

  it('cancels a mutation: OPERATION_TIMEOUT, outcome unknown, the write sent exactly once', async () => {
    const started = performance.now();
    const res = await stack.query('mutation { result: deleteAccount(id: "7") { __typename } }');
    const elapsed = performance.now() - started;

    expect(elapsed).toBeLessThan(UPSTREAM_MS / 2);
    expect(res.data).toBeNull();
    expect(res.errors).toHaveLength(1);
    expect(res.errors?.[0]?.extensions?.code).toBe('OPERATION_TIMEOUT');
    expect(res.errors?.[0]?.path).toEqual(['result']);
    expect(res.errors?.[0]?.message).toMatch(/the outcome of the write is unknown/);
    await new Promise((r) => setTimeout(r, OPERATION_MS));
    expect(fault.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['DELETE /api/system/accounts/7']);
    const connection = fault.requests[0]?.connection ?? 0;
    expect(await waitFor(() => !fault.isOpen(connection))).toBe(true);
  });

  it('leaves an operation that finishes in time alone', async () => {
    const res = await stack.query<{ auditEntries: { edges: unknown[] } }>(
      '{ auditEntries(first: 3) { edges { node { jobName } } } }',
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.auditEntries.edges).toHaveLength(3);
    expect(fault.requests).toHaveLength(0);
  });
});
