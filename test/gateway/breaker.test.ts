/**
 * The circuit breaker through the real gateway, over real sockets: PAM is a server that accepts
 * connections and never answers. After `breakerThreshold` timed-out calls, PAM fields must fail at once
 * with reason `circuit open` and the hung server must receive nothing more until the cool-down ends,
 * while Audit fields still resolve; once PAM answers again, one trial call closes the circuit.
 *
 * The steps run in order over one stack: each builds on the state the previous one left.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ThreeAuditEntryIdsDocument,
  TwoAccountNamesAndThreeAuditEntryIdsDocument,
  TwoAccountNamesDocument,
  type TwoAccountNamesQuery,
} from '../gql/graphql.js';
import { type Behaviour, type FaultServer, hang, startFaultServer } from '../support/fault-server.js';
import { callSimulator } from '../support/seed.js';
import { type GraphQLResponse, type Stack, startStack } from '../support/stack.js';

/** Short enough to open the circuit quickly, long enough for the relayed trial call on a busy machine. */
const TIMEOUT_MS = 1_000;
const THRESHOLD = 3;
/**
 * Long enough that the open-state steps (a handful of in-process queries, one of them real Audit simulator
 * work) end well within it even on a loaded two-core machine; the guards below fail the test otherwise.
 */
const COOLDOWN_MS = 5_000;

const PAM_QUERY = TwoAccountNamesDocument;
const AUDIT_QUERY = ThreeAuditEntryIdsDocument;

/** Relays each request to the real PAM simulator: the upstream "recovers". */
const relayTo =
  (baseUrl: string): Behaviour =>
  (req, res) => {
    callSimulator(baseUrl, req.method ?? 'GET', req.url ?? '/', { auth: req.headers.authorization }).then(
      (upstream) => {
        res.writeHead(upstream.status, { 'content-type': 'application/json' });
        res.end(upstream.text);
      },
      () => res.destroy(),
    );
  };

async function timed<T>(run: () => Promise<T>): Promise<{ res: T; ms: number }> {
  const started = performance.now();
  const res = await run();
  return { res, ms: performance.now() - started };
}

function onlyError(res: GraphQLResponse<TwoAccountNamesQuery>) {
  expect(res.data?.accounts ?? null).toBeNull();
  expect(res.errors).toHaveLength(1);
  return res.errors?.[0];
}

describe('the PAM circuit breaker, through the gateway', () => {
  let fault: FaultServer;
  let stack: Stack;
  /** When the circuit opened (the answer to the call that opened it came back). */
  let openedAt = 0;

  beforeAll(async () => {
    fault = await startFaultServer();
    fault.setFallback(hang());
    stack = await startStack({
      pam: { url: fault.url },
      settings: {
        upstreamTimeoutMs: TIMEOUT_MS,
        breakerThreshold: THRESHOLD,
        breakerCooldownMs: COOLDOWN_MS,
      },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await fault?.stop();
  });

  it(`opens after ${THRESHOLD} timed-out calls in a row; the hung upstream then receives nothing`, async () => {
    for (let call = 1; call <= THRESHOLD; call++) {
      const res = await stack.query(PAM_QUERY);
      expect(onlyError(res)?.extensions).toEqual({ code: 'UPSTREAM_TIMEOUT', upstream: 'pam' });
      expect(fault.requests).toHaveLength(call);
    }
    openedAt = performance.now();
    for (let call = 0; call < 5; call++) await stack.query(PAM_QUERY);
    expect(fault.requests).toHaveLength(THRESHOLD);
    expect(performance.now() - openedAt).toBeLessThan(COOLDOWN_MS);
  });

  it('answers PAM fields far sooner than the upstream deadline, with reason "circuit open"', async () => {
    const { res, ms } = await timed(() => stack.query(PAM_QUERY));
    expect(onlyError(res)?.extensions).toEqual({
      code: 'UPSTREAM_UNAVAILABLE',
      upstream: 'pam',
      reason: 'circuit open',
    });
    expect(onlyError(res)?.message).toMatch(/PAM upstream failed repeatedly/);
    // Far sooner than the deadline a call would wait for (generous: the machine may be loaded).
    expect(ms).toBeLessThan(TIMEOUT_MS / 2);
    expect(fault.requests).toHaveLength(THRESHOLD);
    expect(performance.now() - openedAt).toBeLessThan(COOLDOWN_MS);
  });

  it('still resolves Audit fields while PAM’s circuit is open', async () => {
    // No time bound here: the Audit half is real simulator work, slow on a busy machine.
    const res = await stack.query(TwoAccountNamesAndThreeAuditEntryIdsDocument);
    expect(res.data?.auditEntries?.edges).toHaveLength(3);
    expect(res.data?.accounts).toBeNull();
    expect(res.errors?.map((e) => e.extensions?.reason)).toEqual(['circuit open']);
    const audit = await stack.query(AUDIT_QUERY);
    expect(audit.errors).toBeUndefined();
    expect(audit.data?.auditEntries?.edges).toHaveLength(3);
    expect(fault.requests).toHaveLength(THRESHOLD);
    expect(performance.now() - openedAt).toBeLessThan(COOLDOWN_MS);
  });

  it('lets one trial call through after the cool-down and closes when PAM has recovered', async () => {
    fault.setFallback(relayTo(stack.sims.pam.url));
    // Still open until the cool-down ends, even though PAM would now answer.
    const early = await stack.query(PAM_QUERY);
    expect(onlyError(early)?.extensions?.reason).toBe('circuit open');
    expect(fault.requests).toHaveLength(THRESHOLD);

    const left = openedAt + COOLDOWN_MS - performance.now();
    await new Promise((resolve) => setTimeout(resolve, left + 100));
    const trial = await stack.query(PAM_QUERY);
    expect(trial.errors).toBeUndefined();
    expect(trial.data?.accounts?.edges).toHaveLength(2);
    expect(fault.requests).toHaveLength(THRESHOLD + 1);

    for (let call = 2; call <= 4; call++) {
      const res = await stack.query(PAM_QUERY);
      expect(res.errors).toBeUndefined();
      expect(res.data?.accounts?.edges.map((e) => typeof e.node.name)).toEqual(['string', 'string']);
      expect(fault.requests).toHaveLength(THRESHOLD + call);
    }
  });

  it('logged each state change with the upstream’s name and without its address', () => {
    const changes = stack.logs.lines
      .map((line) => JSON.parse(line) as { level: number; msg: string; upstream?: string })
      .filter((entry) => entry.msg.startsWith('upstream circuit'));
    expect(changes.map((e) => [e.level, e.upstream, e.msg.split(':')[0]])).toEqual([
      [40, 'pam', 'upstream circuit open'],
      [30, 'pam', 'upstream circuit half-open'],
      [30, 'pam', 'upstream circuit closed'],
    ]);
    const logged = JSON.stringify(changes);
    expect(logged).not.toContain('127.0.0.1');
    expect(logged).not.toContain(`:${fault.port}`);
  });
});
