/**
 * Write-only secrets of users and audit entries go to the upstream once and nowhere else: a canary set through
 * a user's `password` and an audit entry's `devicePassword` and `enablePassword` in writes that succeed, fail
 * gateway validation and fail upstream. Each successful write reached the simulator exactly once and is stored
 * there; no response, no error and no gateway log line contains any canary.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CanaryDocument,
  canary,
  DOCS,
  describeAfterEveryCall,
  ORGANIZATION,
  OTHER_ORGANIZATION,
  resultOf,
  send,
  simulatorStack,
  type Variables,
  writesOf,
} from '../support/canaries.js';
import { callSimulator } from '../support/seed.js';
import type { Stack } from '../support/stack.js';

const fixture = simulatorStack();
const { pamWrites, upstreamCount } = fixture;
let stack: Stack;
beforeAll(() => {
  ({ stack } = fixture.current());
});

describe('user input password', () => {
  let userId = 0;
  const name = 'usr-password';
  const login = async (password: string): Promise<number> => {
    const response = await callSimulator(stack.sims.pam.url, 'POST', '/api/system/login', {
      body: { username: name, password },
    });
    return response.status;
  };

  it('createUser stores the canary (it logs in) with exactly one POST', async () => {
    const password = canary('password-create');
    stack.resetRecords();
    const result = resultOf(
      await send(stack, DOCS.createUser, { input: { name, role: 'OPERATOR', password } }),
    );
    expect(result.__typename).toBe('CreateUserPayload');
    userId = Number(result.entity?.pamId);
    expect(pamWrites()).toEqual(['POST /api/system/users 201']);
    expect(await login(password)).toBe(200);
    expect(await login(`${password}-wrong`)).toBe(401);
  });

  it('updateUser stores a new canary with exactly one PATCH', async () => {
    const password = canary('password-update');
    stack.resetRecords();
    const result = resultOf(await send(stack, DOCS.updateUser, { id: String(userId), input: { password } }));
    expect(result.__typename).toBe('UpdateUserPayload');
    expect(pamWrites()).toEqual([`PATCH /api/system/users/${userId} 200`]);
    expect(await login(password)).toBe(200);
  });

  it('replaceUser stores a new canary with exactly one PUT', async () => {
    const password = canary('password-replace');
    stack.resetRecords();
    const result = resultOf(
      await send(stack, DOCS.replaceUser, {
        id: String(userId),
        input: { name, role: 'OPERATOR', password },
      }),
    );
    expect(result.__typename).toBe('ReplaceUserPayload');
    expect(pamWrites()).toEqual([`PUT /api/system/users/${userId} 200`]);
    expect(await login(password)).toBe(200);
    expect(stack.sims.pam.state.users.get(userId)?.password).toBe(password);
  });

  it('failing gateway validation sends nothing and echoes no canary', async () => {
    const before = stack.sims.pam.state.users.get(userId)?.password;
    stack.resetRecords();
    const calls: Array<[CanaryDocument, Variables]> = [
      [
        DOCS.createUser,
        {
          input: { name: 'usr-2', role: 'USER', email: 'nope', password: canary('password-invalid-create') },
        },
      ],
      [
        DOCS.updateUser,
        {
          id: String(userId),
          input: { blocked: true, reason: '', password: canary('password-invalid-update') },
        },
      ],
      [
        DOCS.replaceUser,
        {
          id: String(userId),
          input: { name: '', role: 'USER', password: canary('password-invalid-replace') },
        },
      ],
    ];
    for (const [document, variables] of calls) {
      const result = resultOf(await send(stack, document, variables));
      expect(result.__typename).toBe('ValidationError');
      expect((result.issues ?? []).length).toBe(1);
    }
    expect(upstreamCount()).toBe(0);
    expect(stack.sims.pam.state.users.get(userId)?.password).toBe(before);
  });

  it('failing upstream (duplicate name, unknown id) echoes no canary', async () => {
    stack.resetRecords();
    const duplicate = resultOf(
      await send(stack, DOCS.createUser, {
        input: { name: name.toUpperCase(), role: 'USER', password: canary('password-duplicate') },
      }),
    );
    expect(duplicate.__typename).toBe('ValidationError');
    expect((duplicate.issues ?? []).map((i) => i.path)).toEqual(['input.name']);
    const unknown = resultOf(
      await send(stack, DOCS.replaceUser, {
        id: '999999',
        input: { name: 'usr-ghost', role: 'USER', password: canary('password-unknown-id') },
      }),
    );
    expect(unknown.__typename).toBe('NotFoundError');
    expect(pamWrites()).toEqual(['POST /api/system/users 400', 'PUT /api/system/users/999999 404']);
  });
});

describe.each([
  ['devicePassword', 'dpassword'],
  ['enablePassword', 'denable_password'],
] as const)('audit input %s', (field, upstreamField) => {
  let auditId = '';
  const auditWrites = () => writesOf(stack.sims.audit.requests.list());
  const storedValue = async (): Promise<unknown> => {
    const response = await callSimulator<Record<string, unknown>>(
      stack.sims.audit.url,
      'GET',
      `/ux/nccm/jobs-account-audit/${auditId}/`,
      { auth: stack.sims.credentials.audit.primaryKey },
    );
    expect(response.status).toBe(200);
    return response.body[upstreamField];
  };
  const entry = (secret: string, extra: Variables = {}): Variables => ({
    organization: ORGANIZATION,
    ipAddress: '192.0.2.10',
    deviceAccount: 'root',
    connectionProtocol: 'ssh',
    [field]: secret,
    ...extra,
  });

  it('createAuditEntry stores the canary with exactly one POST and returns none of it', async () => {
    const secret = canary(`${field}-create`);
    stack.resetRecords();
    const result = resultOf(await send(stack, DOCS.createAuditEntry, { input: entry(secret) }));
    expect(result.__typename).toBe('CreateAuditEntryPayload');
    auditId = result.entity?.auditId ?? '';
    expect(auditId).toMatch(/^[0-9a-f]{24}$/);
    expect(result.entity?.hasDevicePassword).toBe(field === 'devicePassword');
    expect(result.entity?.hasEnablePassword).toBe(field === 'enablePassword');
    expect(auditWrites()).toEqual(['POST /ux/nccm/jobs-account-audit/ 201']);
    expect(stack.sims.pam.requests.count).toBe(0);
    expect(await storedValue()).toBe(secret);
  });

  it('replaceAuditEntry stores a new canary with exactly one PUT', async () => {
    const secret = canary(`${field}-replace`);
    stack.resetRecords();
    const result = resultOf(await send(stack, DOCS.replaceAuditEntry, { id: auditId, input: entry(secret) }));
    expect(result.__typename).toBe('ReplaceAuditEntryPayload');
    expect(auditWrites()).toEqual([`PUT /ux/nccm/jobs-account-audit/${auditId}/ 200`]);
    expect(await storedValue()).toBe(secret);
  });

  it('failing gateway validation sends nothing and echoes no canary', async () => {
    stack.resetRecords();
    const calls: Array<[CanaryDocument, Variables]> = [
      [
        DOCS.createAuditEntry,
        { input: entry(canary(`${field}-invalid-create`), { error: 'e'.repeat(2001) }) },
      ],
      [
        DOCS.replaceAuditEntry,
        { id: auditId, input: entry(canary(`${field}-invalid-replace`), { lastUpdateTime: 'now' }) },
      ],
    ];
    for (const [document, variables] of calls) {
      const result = resultOf(await send(stack, document, variables));
      expect(result.__typename).toBe('ValidationError');
      expect((result.issues ?? []).length).toBe(1);
    }
    expect(upstreamCount()).toBe(0);
  });

  it('failing upstream (another organisation, unknown id) echoes no canary', async () => {
    const before = await storedValue();
    stack.resetRecords();
    const foreign = resultOf(
      await send(stack, DOCS.createAuditEntry, {
        input: entry(canary(`${field}-other-org`), { organization: OTHER_ORGANIZATION }),
      }),
    );
    expect(foreign.__typename).toBe('ValidationError');
    const unknown = resultOf(
      await send(stack, DOCS.replaceAuditEntry, {
        id: 'ffffffffffffffffffffffff',
        input: entry(canary(`${field}-unknown-id`)),
      }),
    );
    expect(unknown.__typename).toBe('NotFoundError');
    expect(auditWrites()).toEqual([
      'POST /ux/nccm/jobs-account-audit/ 400',
      'PUT /ux/nccm/jobs-account-audit/ffffffffffffffffffffffff/ 404',
    ]);
    stack.resetRecords();
    expect(await storedValue()).toBe(before);
  });
});

describeAfterEveryCall({ expectedStacks: 1, minimum: 15, logged: 'upstream call' });
