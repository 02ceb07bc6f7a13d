/**
 * Upstreams that never answer: a write carrying a write-only secret times out once, is never retried, says its
 * outcome is unknown, and no response, error or gateway log line contains the secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCOUNT_SECRETS,
  type CanaryDocument,
  canary,
  DOCS,
  describeAfterEveryCall,
  ORGANIZATION,
  send,
  sleep,
  stacks,
  type Variables,
  wholeAccount,
} from '../support/canaries.js';
import { type FaultServer, hang, startFaultServer } from '../support/fault-server.js';
import { type Stack, startStack } from '../support/stack.js';

describe('a write that times out', () => {
  const TIMEOUT_MS = 300;
  let fault: FaultServer;
  let slow: Stack;

  beforeAll(async () => {
    fault = await startFaultServer();
    fault.setFallback(hang());
    slow = await startStack({
      simulators: { empty: true },
      // Many timeouts in a row are the point here; the circuit breaker has its own tests.
      settings: { upstreamTimeoutMs: TIMEOUT_MS, breakerThreshold: 1000 },
      pam: { url: fault.url },
      audit: { url: fault.url },
    });
    stacks.push(slow);
  });

  afterAll(async () => {
    await slow?.stop();
    await fault?.stop();
  });

  interface TimeoutCase {
    name: string;
    document: CanaryDocument;
    variables: (secret: string) => Variables;
    request: string;
  }

  const cases: TimeoutCase[] = [
    ...ACCOUNT_SECRETS.flatMap((spec): TimeoutCase[] => [
      {
        name: `createAccount ${spec.kind}`,
        document: DOCS.createAccount,
        variables: (secret) => ({ input: wholeAccount('slow', 1, spec, secret) }),
        request: 'POST /api/system/accounts',
      },
      {
        name: `updateAccount ${spec.kind}`,
        document: DOCS.updateAccount,
        variables: (secret) => ({ id: '3', input: spec.part(secret) }),
        request: 'PATCH /api/system/accounts/3',
      },
    ]),
    {
      name: 'createUser password',
      document: DOCS.createUser,
      variables: (password) => ({ input: { name: 'slow', role: 'USER', password } }),
      request: 'POST /api/system/users',
    },
    {
      name: 'replaceUser password',
      document: DOCS.replaceUser,
      variables: (password) => ({ id: '4', input: { name: 'slow', role: 'USER', password } }),
      request: 'PUT /api/system/users/4',
    },
    {
      name: 'createAuditEntry devicePassword',
      document: DOCS.createAuditEntry,
      variables: (devicePassword) => ({ input: { organization: ORGANIZATION, devicePassword } }),
      request: 'POST /ux/nccm/jobs-account-audit/',
    },
    {
      name: 'replaceAuditEntry enablePassword',
      document: DOCS.replaceAuditEntry,
      variables: (enablePassword) => ({
        id: '0123456789abcdef01234567',
        input: { organization: ORGANIZATION, enablePassword },
      }),
      request: 'PUT /ux/nccm/jobs-account-audit/0123456789abcdef01234567/',
    },
  ];

  it.each(cases.map((c) => [c.name, c] as const))(
    '%s answers UPSTREAM_TIMEOUT, outcome unknown, sent exactly once',
    async (name, c) => {
      fault.reset();
      const secret = canary(`timeout-${name.replace(/\s+/g, '-')}`);
      const started = performance.now();
      const response = await send(slow, c.document, c.variables(secret));
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
      // At the deadline, not much later (generous: the machine may be loaded); never a second attempt.
      expect(elapsed).toBeLessThan(TIMEOUT_MS + 3_000);
      expect(response.data).toBeNull();
      expect(response.errors).toHaveLength(1);
      const error = response.errors?.[0];
      expect(error?.extensions?.code).toBe('UPSTREAM_TIMEOUT');
      expect(error?.message).toMatch(/the outcome of the write is unknown/);
      expect(error?.path).toEqual(['result']);
      // Give a retry the chance to show up: it must not.
      await sleep(TIMEOUT_MS / 2);
      expect(fault.requests.map((r) => `${r.method} ${r.path}`)).toEqual([c.request]);
      expect(fault.requests[0]?.body).toContain(secret);
    },
  );

  it('logged no retry of any timed-out write', () => {
    expect(slow.logs.text).not.toContain('upstream retry');
    expect(slow.logs.lines.filter((line) => line.includes('"msg":"upstream call"'))).toHaveLength(
      cases.length,
    );
  });
});

describeAfterEveryCall({ expectedStacks: 1, minimum: 10, logged: 'upstream call' });
