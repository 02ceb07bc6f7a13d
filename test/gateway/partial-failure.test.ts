/**
 * One upstream failing must not take the other down: a query over both gets the healthy upstream's data,
 * `null` for the failed field, and one error naming the stable code and the upstream — and nothing of the
 * failed upstream's body, address or port.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AccountsAndAuditEntriesDocument, type AccountsAndAuditEntriesQuery } from '../gql/graphql.js';
import {
  type Behaviour,
  closedPort,
  FAULT_SECRET,
  type FaultServer,
  hang,
  malformed,
  reply,
  startFaultServer,
} from '../support/fault-server.js';
import { type GraphQLResponse, type Stack, startStack } from '../support/stack.js';

const QUERY = AccountsAndAuditEntriesDocument;

type Upstream = 'pam' | 'audit';
type Data = AccountsAndAuditEntriesQuery;

const FIELD: Record<Upstream, keyof Data> = { pam: 'accounts', audit: 'auditEntries' };
const PATH: Record<Upstream, string> = { pam: '/api/system/accounts', audit: '/ux/nccm/jobs-account-audit/' };
const other = (upstream: Upstream): Upstream => (upstream === 'pam' ? 'audit' : 'pam');

/** The upstream deadline in these stacks; a hang must end within a few of them (generous: a loaded machine). */
const TIMEOUT_MS = 1_000;

const FAULTS: Array<{ fault: string; behaviour: () => Behaviour; code: string }> = [
  { fault: 'hangs', behaviour: hang, code: 'UPSTREAM_TIMEOUT' },
  {
    fault: 'answers 500',
    behaviour: () => reply(500, JSON.stringify({ detail: FAULT_SECRET })),
    code: 'UPSTREAM_UNAVAILABLE',
  },
  {
    // A reverse proxy's error page: the status must decide, not the body that is not JSON.
    fault: 'answers 500 with an HTML page',
    behaviour: () => reply(500, `<html><body>${FAULT_SECRET}</body></html>`, { 'content-type': 'text/html' }),
    code: 'UPSTREAM_UNAVAILABLE',
  },
  { fault: 'answers malformed JSON', behaviour: malformed, code: 'UPSTREAM_BAD_RESPONSE' },
];

/** The healthy field has data, the failed one is null with exactly one error: code and upstream only. */
function expectPartial(res: GraphQLResponse<Data>, down: Upstream, code: string): void {
  expect(res.status).toBe(200);
  expect(res.data?.[FIELD[down]]).toBeNull();
  expect(res.data?.[FIELD[other(down)]]?.edges).toHaveLength(2);
  expect(res.errors).toHaveLength(1);
  expect(res.errors?.[0]?.path).toEqual([FIELD[down]]);
  expect(res.errors?.[0]?.extensions).toEqual({ code, upstream: down });
}

function expectNoLeak(text: string, port: number): void {
  for (const leak of [FAULT_SECRET, '127.0.0.1', `:${port}`, 'localhost']) expect(text).not.toContain(leak);
}

describe.each<Upstream>(['pam', 'audit'])('when the %s upstream fails', (down) => {
  let fault: FaultServer;
  let stack: Stack;

  beforeAll(async () => {
    fault = await startFaultServer();
    stack = await startStack({ [down]: { url: fault.url }, settings: { upstreamTimeoutMs: TIMEOUT_MS } });
  });
  afterAll(async () => {
    await stack?.stop();
    await fault?.stop();
  });
  beforeEach(() => fault.reset());

  it.each(FAULTS)('and $fault, the other upstream’s field still has data ($code)', async (c) => {
    fault.setFallback(c.behaviour());
    const started = performance.now();
    const res = await stack.query(QUERY);
    expect(performance.now() - started).toBeLessThan(5 * TIMEOUT_MS);
    expectPartial(res, down, c.code);
    expect(fault.requests[0]?.path.startsWith(PATH[down])).toBe(true);
    expectNoLeak(res.text, fault.port);
    expect(stack.logs.text).not.toContain(FAULT_SECRET);
  });
});

describe.each<Upstream>(['pam', 'audit'])('when nothing listens at the %s upstream’s address', (down) => {
  let stack: Stack;
  let port: number;

  beforeAll(async () => {
    port = await closedPort();
    stack = await startStack({
      [down]: { url: `http://127.0.0.1:${port}` },
      settings: { upstreamTimeoutMs: TIMEOUT_MS },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('the other upstream’s field still has data (UPSTREAM_UNAVAILABLE)', async () => {
    const started = performance.now();
    const res = await stack.query(QUERY);
    expect(performance.now() - started).toBeLessThan(5 * TIMEOUT_MS);
    expectPartial(res, down, 'UPSTREAM_UNAVAILABLE');
    expectNoLeak(res.text, port);
  });
});
