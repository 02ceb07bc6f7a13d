/**
 * createAccount through HTTP against the PAM simulator: the typed result, then the simulator's own state and
 * its REST answer read back directly (never through the gateway), and the write requests it received.
 * Upstream-only rules come back as ValidationErrors told apart by their paths, never by message text.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { PamState } from '../../src/simulator/pam/store.js';
import { CreateAccountDocument } from '../gql/graphql.js';
import { globalId, issuePaths, mutate, SUPERADMIN_TOKEN } from '../support/mutations.js';
import { idByName, pamMutationFixture, rowOf } from '../support/pam-mutations.js';
import { callSimulator } from '../support/seed.js';
import type { Stack } from '../support/stack.js';

const fixture = pamMutationFixture();
const { uniq, pamWrites, seedServer, seedAccount } = fixture;
let stack: Stack;
let state: PamState;
beforeAll(() => {
  ({ stack, state } = fixture.current());
});

describe('createAccount', () => {
  it('createAccount posts once, returns the account, and the simulator holds it with its secret', async () => {
    const server = await seedServer();
    const name = uniq('new-acct');
    const result = await mutate(stack, CreateAccountDocument, {
      input: {
        name,
        type: 'REGULAR',
        serverId: globalId('Server', server.id),
        blocked: true,
        dumpMode: 'RAW',
        ocrEnabled: true,
        ocrLang: 'eng',
        retention: 30,
        credentials: {
          login: 'root',
          domain: 'CORP',
          method: 'PASSWORD',
          secret: 'create-secret',
          passwordChangePolicyId: '1',
        },
        passwordChangers: [
          {
            changerId: 7,
            position: 0,
            timeout: 30,
            privilegedModePassword: 'en-pw',
            privilegedUsername: 'op',
          },
        ],
      },
    });
    const id = idByName(state.accounts, name);
    expect(result).toEqual({
      __typename: 'CreateAccountPayload',
      account: {
        id: globalId('Account', id),
        pamId: String(id),
        name,
        type: 'REGULAR',
        blocked: true,
        dumpMode: 'RAW',
        ocrEnabled: true,
        ocrLang: 'eng',
        passwordRecovery: false,
        retention: 30,
        server: { id: globalId('Server', server.id), name: server.name },
        credentials: {
          login: 'root',
          domain: 'CORP',
          method: 'PASSWORD',
          passwordChangePolicy: { pamId: '1', name: 'Static' },
        },
        passwordChangers: [
          { changerId: 7, type: 'CHANGE', position: 0, timeout: 30, privilegedUsername: 'op' },
        ],
      },
    });
    expect(rowOf(state.accounts, id)).toEqual({
      id,
      name,
      type: 'regular',
      blocked: true,
      serverId: server.id,
      credentials: {
        domain: 'CORP',
        login: 'root',
        method: 'password',
        secret: 'create-secret',
        privateKey: null,
        publicKey: null,
        policyId: 1,
      },
      dumpMode: 'raw',
      ocrEnabled: true,
      ocrLang: 'eng',
      passwordLastUpdate: expect.any(String),
      passwordChangeRequest: null,
      passwordCheckoutTimeLimit: null,
      passwordRecovery: false,
      retention: 30,
      changers: [
        {
          id: 7,
          type: 'change',
          position: 0,
          timeout: 30,
          privilegedModePassword: 'en-pw',
          privilegedUsername: 'op',
          privilegedPassword: null,
          sshUsername: '',
          sshPassword: null,
          sshHost: '',
          sshPort: '',
        },
      ],
    });
    expect(pamWrites()).toEqual([{ method: 'POST', path: '/api/system/accounts', status: 201 }]);
    // The REST API never returns the secret, and the simulator's record agrees with its state.
    const direct = await callSimulator(stack.sims.pam.url, 'GET', `/api/system/accounts/${id}`, {
      auth: SUPERADMIN_TOKEN,
    });
    expect(direct.status).toBe(200);
    expect(JSON.stringify(direct.body)).not.toContain('create-secret');
  });

  it('createAccount: unknown server is a ValidationError at input.serverId and nothing is stored', async () => {
    const name = uniq('orphan');
    const result = await mutate(stack, CreateAccountDocument, {
      input: {
        name,
        type: 'REGULAR',
        serverId: '987654',
        credentials: { login: 'x', method: 'PASSWORD', secret: 'orphan-secret', passwordChangePolicyId: '1' },
      },
    });
    expect(issuePaths(result)).toEqual(['input.serverId']);
    expect(state.accounts.findByName(name)).toBeUndefined();
    expect(pamWrites()).toEqual([{ method: 'POST', path: '/api/system/accounts', status: 400 }]);
  });

  // A secret that happens to occur inside a field name ("s" in "server_id") must not mangle the path.
  it('createAccount: a short secret does not corrupt the issue path', async () => {
    const result = await mutate(stack, CreateAccountDocument, {
      input: {
        name: uniq('short-secret'),
        type: 'REGULAR',
        serverId: '987654',
        credentials: { login: 'x', method: 'PASSWORD', secret: 's', passwordChangePolicyId: '1' },
      },
    });
    expect(issuePaths(result)).toEqual(['input.serverId']);
  });

  it('createAccount: a duplicate name (any case) is a ValidationError at input.name', async () => {
    const server = await seedServer();
    const existing = await seedAccount(server.id);
    const before = state.accounts.size;
    const result = await mutate(stack, CreateAccountDocument, {
      input: {
        name: existing.name.toUpperCase(),
        type: 'REGULAR',
        serverId: String(server.id),
        credentials: { login: 'x', method: 'PASSWORD', secret: 's', passwordChangePolicyId: '1' },
      },
    });
    expect(issuePaths(result)).toEqual(['input.name']);
    expect(state.accounts.size).toBe(before);
    expect(pamWrites()).toEqual([{ method: 'POST', path: '/api/system/accounts', status: 400 }]);
  });
});
