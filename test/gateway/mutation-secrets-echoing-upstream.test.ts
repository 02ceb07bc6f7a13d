/**
 * An upstream that echoes the request body back in its errors: the gateway must redact every write-only secret
 * (account, user and audit canaries) from the ValidationError or error it makes of the answer, and from its logs.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCOUNT_SECRETS,
  canary,
  DOCS,
  describeAfterEveryCall,
  ORGANIZATION,
  resultOf,
  send,
  stacks,
  wholeAccount,
} from '../support/canaries.js';
import { type Behaviour, type FaultServer, startFaultServer } from '../support/fault-server.js';
import { type Stack, startStack } from '../support/stack.js';

describe('an upstream that echoes the body in its error', () => {
  let fault: FaultServer;
  let echo: Stack;

  /** Answers `status` with the last recorded request body inside field names and messages. */
  const echoing =
    (status: number, shape: 'pam' | 'audit' | 'detail'): Behaviour =>
    (_req: IncomingMessage, res: ServerResponse) => {
      const body = fault.requests[fault.requests.length - 1]?.body ?? '';
      const value =
        shape === 'pam'
          ? { name: [`Bad: ${body}`], [`credentials.${body}`]: ['Unknown field.'], non_field_errors: [body] }
          : shape === 'audit'
            ? { error: `Bad body ${body}`, fields: { dpassword: [body], denable_password: [`x ${body}`] } }
            : { detail: body, error: body };
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };

  beforeAll(async () => {
    fault = await startFaultServer();
    echo = await startStack({
      simulators: { empty: true },
      // Many 5xx answers in a row are the point here; the circuit breaker has its own tests.
      settings: { breakerThreshold: 1000 },
      pam: { url: fault.url },
      audit: { url: fault.url },
    });
    stacks.push(echo);
  });

  afterAll(async () => {
    await echo?.stop();
    await fault?.stop();
  });

  const accountCases = ACCOUNT_SECRETS.map((spec) => [spec.kind, spec] as const);

  it.each(accountCases)(
    'createAccount %s: a 400 echoing the body becomes a redacted ValidationError',
    async (kind, spec) => {
      fault.reset();
      fault.setFallback(echoing(400, 'pam'));
      const secret = canary(`${kind}-echo-400`);
      const result = resultOf(
        await send(echo, DOCS.createAccount, { input: wholeAccount('echo', 1, spec, secret) }),
      );
      expect(result.__typename).toBe('ValidationError');
      expect((result.issues ?? []).length).toBe(3);
      expect(fault.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/system/accounts']);
      expect(fault.requests[0]?.body).toContain(secret);
    },
  );

  it.each(accountCases)(
    'updateAccount %s: a 500 echoing the body is an error without it',
    async (kind, spec) => {
      fault.reset();
      fault.setFallback(echoing(500, 'detail'));
      const secret = canary(`${kind}-echo-500`);
      const response = await send(echo, DOCS.updateAccount, { id: '7', input: spec.part(secret) });
      expect(response.data).toBeNull();
      expect(response.errors?.length).toBe(1);
      expect(fault.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['PATCH /api/system/accounts/7']);
      expect(fault.requests[0]?.body).toContain(secret);
    },
  );

  it('createUser password: a 400 echoing the body becomes a redacted ValidationError', async () => {
    fault.reset();
    fault.setFallback(echoing(400, 'pam'));
    const secret = canary('password-echo-400');
    const result = resultOf(
      await send(echo, DOCS.createUser, { input: { name: 'echo', role: 'USER', password: secret } }),
    );
    expect(result.__typename).toBe('ValidationError');
    expect(fault.requests).toHaveLength(1);
    expect(fault.requests[0]?.body).toContain(secret);
  });

  it.each([
    ['devicePassword', 'createAuditEntry'],
    ['enablePassword', 'replaceAuditEntry'],
  ] as const)(
    'audit %s (%s): a 400 echoing the body becomes a redacted ValidationError',
    async (field, mutation) => {
      fault.reset();
      fault.setFallback(echoing(400, 'audit'));
      const secret = canary(`${field}-echo-400`);
      const input = { organization: ORGANIZATION, [field]: secret };
      const variables =
        mutation === 'createAuditEntry' ? { input } : { id: '0123456789abcdef01234567', input };
      const result = resultOf(await send(echo, DOCS[mutation], variables));
      expect(result.__typename).toBe('ValidationError');
      expect((result.issues ?? []).map((i) => i.path).sort()).toEqual([
        'input.devicePassword',
        'input.enablePassword',
      ]);
      expect(fault.requests).toHaveLength(1);
      expect(fault.requests[0]?.body).toContain(secret);
    },
  );
});

describeAfterEveryCall({ expectedStacks: 1, minimum: 10, logged: 'upstream call' });
