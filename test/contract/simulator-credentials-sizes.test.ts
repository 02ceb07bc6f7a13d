/**
 * Simulator features the shared views (issue 11) are tested with: credentials added and revoked while running,
 * a second Audit key per organisation, data sizes from the environment, and pages beyond the data of any size.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_CREDENTIALS,
  demoSizesFromEnv,
  type RunningSimulators,
  startSimulators,
} from '../../src/simulator/index.js';
import { callSimulator } from '../support/seed.js';

const AUDIT = '/ux/nccm/jobs-account-audit/';
const { pam, audit } = DEMO_CREDENTIALS;

let sims: RunningSimulators;
beforeAll(async () => {
  sims = await startSimulators({
    sizes: { accounts: 30, servers: 5, safes: 2, listeners: 2, users: 5, auditEntries: 200 },
  });
});
afterAll(() => sims.stop());

const pamGet = (path: string, token: string) => callSimulator(sims.pam.url, 'GET', path, { auth: token });
const auditIds = async (key: string) => {
  const reply = await callSimulator<Array<{ id: string; organization: string }>>(
    sims.audit.url,
    'GET',
    `${AUDIT}?items_per_page=500&page=1`,
    { auth: key },
  );
  return { status: reply.status, entries: reply.status === 200 ? reply.body : [] };
};

describe('PAM tokens added and revoked while running', () => {
  it('a new token acts as its user at once, and stops at once when revoked', async () => {
    const token = 'pam-test-added-token';
    expect((await pamGet('/api/system/accounts?page=1&page_size=5', token)).status).toBe(401);
    sims.pam.addToken(token, pam.operatorName);
    const asOperator = await pamGet('/api/system/accounts', token);
    const operator = await pamGet('/api/system/accounts', pam.operatorToken);
    expect(asOperator.status).toBe(200);
    expect(asOperator.body).toEqual(operator.body);
    sims.pam.revokeToken(token);
    expect((await pamGet('/api/system/accounts', token)).status).toBe(401);
    // The user's own token is untouched.
    expect((await pamGet('/api/system/accounts', pam.operatorToken)).status).toBe(200);
  });

  it('refuses a token for a user that does not exist', () => {
    expect(() => sims.pam.addToken('x', 'nobody-by-that-name')).toThrow(/no user named/);
  });
});

describe('Audit keys: a second key per organisation, and keys added and revoked while running', () => {
  it('the second key of an organisation sees exactly what its first key sees, and nothing of the other', async () => {
    const first = await auditIds(audit.primaryKey);
    const second = await auditIds(audit.primarySecondKey);
    const other = await auditIds(audit.secondarySecondKey);
    expect(first.entries.length).toBeGreaterThan(0);
    expect(second.entries).toEqual(first.entries);
    expect(other.entries.length).toBeGreaterThan(0);
    expect(other.entries.every((e) => e.organization === audit.secondaryOrganization)).toBe(true);
    expect(second.entries.every((e) => e.organization === audit.primaryOrganization)).toBe(true);
  });

  it('a key added for an organisation works at once; revoked, it is refused at once', async () => {
    const key = 'audit-test-added-key';
    expect((await auditIds(key)).status).toBe(401);
    sims.audit.addKey(key, audit.secondaryOrganization);
    expect((await auditIds(key)).entries).toEqual((await auditIds(audit.secondaryKey)).entries);
    sims.audit.revokeKey(key);
    expect((await auditIds(key)).status).toBe(401);
  });

  it('a key of an organisation without entries sees an empty list', async () => {
    sims.audit.addKey('audit-test-empty-org', 'initech');
    expect(await auditIds('audit-test-empty-org')).toEqual({ status: 200, entries: [] });
  });
});

describe('pages beyond the data, of any size (docs/upstreams.md §1.1)', () => {
  it.each(['2', '2147483647', '2147483648', '9007199254740993', '1'.padEnd(400, '0')])(
    'page=%s past the end of the accounts is 200 []',
    async (page) => {
      const reply = await pamGet(`/api/system/accounts?page=${page}&page_size=1000`, pam.superadminToken);
      expect(reply).toMatchObject({ status: 200, body: [] });
    },
  );
});

describe('demo data sizes from the environment', () => {
  it('reads each SIMULATOR_* count and leaves the rest to the defaults', () => {
    expect(
      demoSizesFromEnv({ SIMULATOR_ACCOUNTS: '20000', SIMULATOR_AUDIT_ENTRIES: ' 200000 ', HOME: '/x' }),
    ).toEqual({ accounts: 20000, auditEntries: 200000 });
    expect(demoSizesFromEnv({})).toEqual({});
  });

  it.each([
    [{ SIMULATOR_ACCOUNTS: 'many' }, /SIMULATOR_ACCOUNTS must be a whole number/],
    [{ SIMULATOR_SAFES: '-1' }, /SIMULATOR_SAFES must be a whole number/],
    [{ SIMULATOR_AUDIT_ENTRIES: '1e6' }, /SIMULATOR_AUDIT_ENTRIES must be a whole number/],
    [{ SIMULATOR_USERS: '99999999' }, /SIMULATOR_USERS must be a whole number from 0 to 5000000/],
    [{ SIMULATOR_SERVERS: '0' }, /SIMULATOR_SERVERS must be at least 1/],
  ])('refuses %o', (env, message) => {
    expect(() => demoSizesFromEnv(env)).toThrow(message);
  });

  it('the same seed and sizes give the same data; the sizes are honoured', async () => {
    const sizes = demoSizesFromEnv({
      SIMULATOR_ACCOUNTS: '40',
      SIMULATOR_AUDIT_ENTRIES: '120',
      SIMULATOR_USERS: '7',
    });
    const [a, b] = await Promise.all([
      startSimulators({ seed: 7, sizes }),
      startSimulators({ seed: 7, sizes }),
    ]);
    try {
      const accounts = await Promise.all(
        [a, b].map((s) =>
          callSimulator<unknown[]>(s.pam.url, 'GET', '/api/system/accounts', { auth: pam.superadminToken }),
        ),
      );
      expect(accounts[0]?.body).toHaveLength(40);
      expect(accounts[1]?.body).toEqual(accounts[0]?.body);
      expect(a.audit.state.store.size).toBe(120);
      const users = await callSimulator<unknown[]>(a.pam.url, 'GET', '/api/system/users', {
        auth: pam.superadminToken,
      });
      // The count includes the two fixed demo users.
      expect(users.body).toHaveLength(7);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
