/**
 * The PATCH/PUT asymmetry of credentials: a patch may leave the secret out (the stored one is kept), a replace
 * may not, and a patch that sends the password method with an empty secret is a ValidationError.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  account,
  credentials,
  mutationDoc,
  type Result,
  replace,
  resultOf,
  update,
  validationStack,
} from '../support/mutation-validation.js';
import type { Stack } from '../support/stack.js';

const fixture = validationStack();
const { upstreamRequests } = fixture;
let stack: Stack;
let seeded: ReturnType<typeof fixture.current>['seeded'];
beforeAll(() => {
  ({ stack, seeded } = fixture.current());
});

describe('credentials on PATCH keep the stored secret; on PUT they must carry it', () => {
  const PAYLOAD = `{ __typename ... on ValidationError { message issues { path message } } ... on UpdateAccountPayload { account { name } } }`;

  it('updateAccount with credentials but no secret is not a validation error and keeps the secret', async () => {
    const before = stack.sims.pam.state.accounts.get(seeded.accountId)?.credentials?.secret;
    expect(before).toBe(`pw-${seeded.accountName}`);
    const response = await stack.query<{ result: Result & { account?: { name: string } } }>(
      mutationDoc('updateAccount', update('Account').args, PAYLOAD),
      { id: String(seeded.accountId), input: { credentials: { login: 'admin2', method: 'PASSWORD' } } },
    );
    const result = resultOf(response);
    expect(result).toEqual({ __typename: 'UpdateAccountPayload', account: { name: seeded.accountName } });
    const writes = stack.sims.pam.requests.list().filter((r) => r.method !== 'GET');
    expect(writes.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `PATCH /api/system/accounts/${seeded.accountId} 200`,
    ]);
    const stored = stack.sims.pam.state.accounts.get(seeded.accountId)?.credentials;
    expect(stored?.login).toBe('admin2');
    expect(stored?.secret).toBe(`pw-${seeded.accountName}`);
  });

  it('replaceAccount with the same credentials and no secret is a ValidationError at input.credentials.secret', async () => {
    const input = account({
      name: seeded.accountName,
      serverId: String(seeded.serverId),
      credentials: credentials({ login: 'admin2', secret: undefined }),
    });
    const result = resultOf(
      await stack.query<{ result: Result }>(mutationDoc('replaceAccount', replace('Account').args), {
        id: String(seeded.accountId),
        input,
      }),
    );
    expect(result.__typename).toBe('ValidationError');
    expect((result.issues ?? []).map((i) => i.path)).toEqual(['input.credentials.secret']);
    expect(upstreamRequests()).toBe(0);
    expect(stack.sims.pam.state.accounts.get(seeded.accountId)?.credentials?.secret).toBe(
      `pw-${seeded.accountName}`,
    );
  });

  it('updateAccount that sends method PASSWORD with an empty secret is a ValidationError', async () => {
    const result = resultOf(
      await stack.query<{ result: Result }>(mutationDoc('updateAccount', update('Account').args), {
        id: String(seeded.accountId),
        input: { credentials: { login: 'admin3', method: 'PASSWORD', secret: '' } },
      }),
    );
    expect(result.__typename).toBe('ValidationError');
    expect((result.issues ?? []).map((i) => i.path)).toEqual(['input.credentials.secret']);
    expect(upstreamRequests()).toBe(0);
  });
});
