/**
 * Write-only secrets of accounts go to the upstream once and nowhere else: a canary set through each secret
 * input of an account (`credentials.secret`, `credentials.privateKey`, and the password changers'
 * `privilegedModePassword`, `privilegedPassword` and `sshPassword`) in writes that succeed, fail gateway
 * validation and fail upstream. Each successful write reached the simulator exactly once and is stored there;
 * no response, no error and no gateway log line contains any canary.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ACCOUNT_SECRETS,
  type CanaryDocument,
  canary,
  DOCS,
  describeAfterEveryCall,
  resultOf,
  send,
  simulatorStack,
  type Variables,
  wholeAccount,
} from '../support/canaries.js';
import type { Stack } from '../support/stack.js';

const fixture = simulatorStack();
const { pamWrites, upstreamCount } = fixture;
let stack: Stack;
let serverId: number;
beforeAll(() => {
  ({ stack, serverId } = fixture.current());
});

describe.each(ACCOUNT_SECRETS.map((s) => [s.kind, s] as const))('account input %s', (kind, spec) => {
  const name = `acc-${kind}`;
  let accountId = 0;
  const stored = () => spec.stored(stack.sims.pam.state.accounts.get(accountId));

  it('createAccount stores the canary with exactly one POST and returns none of it', async () => {
    const secret = canary(`${kind}-create`);
    stack.resetRecords();
    const result = resultOf(
      await send(stack, DOCS.createAccount, { input: wholeAccount(name, serverId, spec, secret) }),
    );
    expect(result.__typename).toBe('CreateAccountPayload');
    accountId = Number(result.entity?.pamId);
    expect(result.entity?.name).toBe(name);
    expect(pamWrites()).toEqual(['POST /api/system/accounts 201']);
    expect(stored()).toBe(secret);
  });

  it('updateAccount stores a new canary with exactly one PATCH', async () => {
    const secret = canary(`${kind}-update`);
    stack.resetRecords();
    const result = resultOf(
      await send(stack, DOCS.updateAccount, { id: String(accountId), input: spec.part(secret) }),
    );
    expect(result.__typename).toBe('UpdateAccountPayload');
    expect(pamWrites()).toEqual([`PATCH /api/system/accounts/${accountId} 200`]);
    expect(stored()).toBe(secret);
  });

  it('replaceAccount stores a new canary with exactly one PUT', async () => {
    const secret = canary(`${kind}-replace`);
    stack.resetRecords();
    const result = resultOf(
      await send(stack, DOCS.replaceAccount, {
        id: String(accountId),
        input: wholeAccount(name, serverId, spec, secret),
      }),
    );
    expect(result.__typename).toBe('ReplaceAccountPayload');
    expect(pamWrites()).toEqual([`PUT /api/system/accounts/${accountId} 200`]);
    expect(stored()).toBe(secret);
  });

  it('failing gateway validation sends nothing and echoes no canary (create, update, replace)', async () => {
    const before = stored();
    stack.resetRecords();
    const bad = (secret: string) => ({ ...wholeAccount(name, serverId, spec, secret), retention: 0 });
    const calls: Array<[CanaryDocument, Variables]> = [
      [DOCS.createAccount, { input: bad(canary(`${kind}-invalid-create`)) }],
      [
        DOCS.updateAccount,
        { id: String(accountId), input: { ...spec.part(canary(`${kind}-invalid-update`)), name: '' } },
      ],
      [DOCS.replaceAccount, { id: String(accountId), input: bad(canary(`${kind}-invalid-replace`)) }],
    ];
    for (const [document, variables] of calls) {
      const result = resultOf(await send(stack, document, variables));
      expect(result.__typename).toBe('ValidationError');
      expect((result.issues ?? []).length).toBe(1);
    }
    expect(upstreamCount()).toBe(0);
    expect(stored()).toBe(before);
  });

  it('failing upstream (duplicate name, unknown server, unknown id) echoes no canary', async () => {
    const before = stored();
    stack.resetRecords();
    const duplicate = resultOf(
      await send(stack, DOCS.createAccount, {
        input: wholeAccount(name.toUpperCase(), serverId, spec, canary(`${kind}-duplicate`)),
      }),
    );
    expect(duplicate.__typename).toBe('ValidationError');
    expect((duplicate.issues ?? []).map((i) => i.path)).toEqual(['input.name']);

    const unknownServer = resultOf(
      await send(stack, DOCS.createAccount, {
        input: wholeAccount(`${name}-2`, 999_999, spec, canary(`${kind}-unknown-server`)),
      }),
    );
    expect(unknownServer.__typename).toBe('ValidationError');
    expect((unknownServer.issues ?? []).map((i) => i.path)).toEqual(['input.serverId']);

    const unknownId = resultOf(
      await send(stack, DOCS.updateAccount, { id: '999999', input: spec.part(canary(`${kind}-unknown-id`)) }),
    );
    expect(unknownId.__typename).toBe('NotFoundError');

    // Each reached the upstream once (so it got the body), was refused, and nothing was stored.
    expect(pamWrites()).toEqual([
      'POST /api/system/accounts 400',
      'POST /api/system/accounts 400',
      'PATCH /api/system/accounts/999999 404',
    ]);
    expect(stack.sims.pam.state.accounts.size).toBe(ACCOUNT_SECRETS.indexOf(spec) + 1);
    expect(stored()).toBe(before);
  });
});

describeAfterEveryCall({ expectedStacks: 1, minimum: 40, logged: 'upstream call' });
