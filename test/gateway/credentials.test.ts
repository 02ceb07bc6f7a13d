/**
 * CREDENTIAL_MODE: `forward` sends only the caller's own credentials; `fallback` lends the service
 * credential to callers who send none. Proven by the Authorization header the simulators received.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FirstAccountsDocument, NewestAuditEntriesDocument } from '../gql/graphql.js';
import { callSimulator } from '../support/seed.js';
import { type Stack, startStack } from '../support/stack.js';

describe('forward mode', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ mode: 'forward' });
  });
  afterAll(() => stack.stop());
  beforeEach(() => stack.resetRecords());

  it('answers UNAUTHENTICATED without calling the upstream when the caller sends no token', async () => {
    const res = await stack.query(FirstAccountsDocument, { first: 2 });
    expect(res.data?.accounts).toBeNull();
    expect(res.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', upstream: 'pam' });
    expect(res.errors?.[0]?.message).toContain('x-pam-token');
    expect(stack.sims.pam.requests.count).toBe(0);
  });

  it('forwards the caller’s own token, so the operator sees only the accounts it was granted', async () => {
    const { operatorToken, superadminToken } = stack.sims.credentials.pam;
    const asOperator = await stack.query(
      FirstAccountsDocument,
      { first: 100 },
      { 'x-pam-token': operatorToken },
    );
    const asAdmin = await stack.query(
      FirstAccountsDocument,
      { first: 100 },
      { 'x-pam-token': superadminToken },
    );
    const operatorNames = asOperator.data?.accounts?.edges.map((e) => e.node.name) ?? [];
    const adminNames = asAdmin.data?.accounts?.edges.map((e) => e.node.name) ?? [];
    expect(operatorNames.length).toBeGreaterThan(0);
    expect(operatorNames.length).toBeLessThan(adminNames.length);
    expect(adminNames).toEqual(expect.arrayContaining(operatorNames));
    const sent = stack.sims.pam.requests.list().map((r) => r.headers.authorization);
    expect(sent).toEqual([operatorToken, superadminToken]);
  });

  it('maps a wrong token to UNAUTHENTICATED without echoing it', async () => {
    const res = await stack.query(FirstAccountsDocument, { first: 2 }, { 'x-pam-token': 'wrong-token-123' });
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.text).not.toContain('wrong-token-123');
    expect(stack.logs.text).not.toContain('wrong-token-123');
  });

  it('maps the upstream’s 403 (a PAM user of role "user") to FORBIDDEN', async () => {
    const admin = stack.sims.credentials.pam.superadminToken;
    const created = await callSimulator(stack.sims.pam.url, 'POST', '/api/system/users', {
      auth: admin,
      body: { name: 'plain-user', role: 'user', password: 'plain-user-password' },
    });
    expect(created.status).toBe(201);
    const login = await callSimulator<{ sessionid: string }>(
      stack.sims.pam.url,
      'POST',
      '/api/system/login',
      {
        body: { username: 'plain-user', password: 'plain-user-password' },
      },
    );
    const { sessionid } = login.body;
    const res = await stack.query(FirstAccountsDocument, { first: 2 }, { 'x-pam-token': sessionid });
    expect(res.data?.accounts).toBeNull();
    expect(res.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN', upstream: 'pam' });
    expect(res.text).not.toContain(sessionid);
  });

  it('scopes audit entries to the organisation of the key the caller sends', async () => {
    const { primaryKey, secondaryKey, secondaryOrganization } = stack.sims.credentials.audit;
    const a = await stack.query(NewestAuditEntriesDocument, { first: 10 }, { 'x-audit-key': primaryKey });
    const b = await stack.query(NewestAuditEntriesDocument, { first: 10 }, { 'x-audit-key': secondaryKey });
    const idsA = a.data?.auditEntries?.edges.map((e) => e.node.auditId) ?? [];
    const idsB = b.data?.auditEntries?.edges.map((e) => e.node.auditId) ?? [];
    expect(idsA).toHaveLength(10);
    expect(idsB).toHaveLength(10);
    expect(idsA.filter((id) => idsB.includes(id))).toEqual([]);
    const orgsB = new Set(b.data?.auditEntries?.edges.map((e) => e.node.organization));
    expect([...orgsB]).toEqual([secondaryOrganization]);
  });
});

describe('fallback mode', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ mode: 'fallback' });
  });
  afterAll(() => stack.stop());
  beforeEach(() => stack.resetRecords());

  it('acts with the service credential for a caller who sends none', async () => {
    const res = await stack.query(FirstAccountsDocument, { first: 2 });
    expect(res.data?.accounts?.edges).toHaveLength(2);
    expect(stack.sims.pam.requests.list()[0]?.headers.authorization).toBe(
      stack.sims.credentials.pam.superadminToken,
    );
  });

  it('still prefers the caller’s own credential when one is sent', async () => {
    const { operatorToken } = stack.sims.credentials.pam;
    await stack.query(FirstAccountsDocument, { first: 2 }, { 'x-pam-token': operatorToken });
    expect(stack.sims.pam.requests.list()[0]?.headers.authorization).toBe(operatorToken);
  });

  it('never writes a credential into a log line', async () => {
    await stack.query(
      FirstAccountsDocument,
      { first: 2 },
      { 'x-pam-token': stack.sims.credentials.pam.operatorToken },
    );
    for (const secret of [
      stack.sims.credentials.pam.operatorToken,
      stack.sims.credentials.pam.superadminToken,
    ]) {
      expect(stack.logs.text).not.toContain(secret);
    }
  });
});
