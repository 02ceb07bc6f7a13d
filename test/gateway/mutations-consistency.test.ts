/**
 * After a write, the loaders of that request are renewed or primed, so that a later field of the same operation
 * never serves what was loaded before the write. Mutation fields run in order; each test loads an object in an
 * early field, changes it in a later one, and reads it again in a later field still (and in a second operation).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globalId, run } from '../support/mutations.js';
import { SimulatorWriter } from '../support/seed.js';
import { type Stack, startStack } from '../support/stack.js';

let stack: Stack;
let writer: SimulatorWriter;
let counter = 0;
const uniq = (prefix: string): string => `${prefix}-${++counter}`;

beforeAll(async () => {
  stack = await startStack({ simulators: { empty: true } });
  const { credentials } = stack.sims;
  writer = new SimulatorWriter(
    stack.sims.pam.url,
    credentials.pam.superadminToken,
    stack.sims.audit.url,
    credentials.audit.primaryKey,
  );
});

afterAll(async () => {
  await stack.stop();
});

interface Named {
  id: number;
  name: string;
}

async function seedServer(address: string): Promise<Named> {
  const name = uniq('srv');
  const { id } = await writer.server(name, address, 'ssh', 22);
  return { id, name };
}

async function seedAccount(serverId: number): Promise<Named> {
  const name = uniq('acct');
  const { id } = await writer.account(name, serverId, 'admin');
  return { id, name };
}

async function seedSafe(): Promise<Named> {
  const name = uniq('safe');
  const { id } = await writer.pam('POST', '/api/system/safes', { name });
  return { id, name };
}

async function seedListener(): Promise<Named> {
  const name = uniq('lst');
  const { id } = await writer.pam('POST', '/api/system/listeners', {
    name,
    protocol: 'ssh',
    mode: 'proxy',
    listen_port: 3000 + counter,
  });
  return { id, name };
}

interface Edges<T> {
  edges: Array<{ node: T }>;
}
const nodes = <T>(connection: Edges<T> | null | undefined): T[] =>
  (connection?.edges ?? []).map((e) => e.node);

/*
 * Envelop copies the context factory's properties into Yoga's context, so `renewLoaders()` must renew the
 * shared Loaders object in place; these tests caught the version that replaced the property instead.
 */
describe('loaders after a write, within one operation', () => {
  it('renaming an account, then its server: the later field shows both names, and so does a second operation', async () => {
    const server = await seedServer('192.0.2.1');
    const first = await seedAccount(server.id);
    const second = await seedAccount(server.id);
    const newAccount = uniq('x');
    const newServer = uniq('y');
    interface Out {
      a: { __typename: string; account: { name: string; server: { name: string } } };
      b: {
        __typename: string;
        server: { name: string; accounts: Edges<{ name: string; server: { name: string } }> };
      };
    }
    const data = await run<Out>(
      stack,
      `mutation($acc: ID!, $srv: ID!, $an: String!, $sn: String!) {
        a: updateAccount(id: $acc, input: { name: $an }) {
          __typename ... on UpdateAccountPayload { account { name server { name } } } }
        b: updateServer(id: $srv, input: { name: $sn }) {
          __typename ... on UpdateServerPayload {
            server { name accounts(first: 5) { edges { node { name server { name } } } } } } }
      }`,
      { acc: globalId('Account', first.id), srv: String(server.id), an: newAccount, sn: newServer },
    );
    expect(data.a).toEqual({
      __typename: 'UpdateAccountPayload',
      account: { name: newAccount, server: { name: server.name } },
    });
    expect(data.b.__typename).toBe('UpdateServerPayload');
    expect(data.b.server.name).toBe(newServer);
    expect(nodes(data.b.server.accounts)).toEqual([
      { name: newAccount, server: { name: newServer } },
      { name: second.name, server: { name: newServer } },
    ]);

    interface Read {
      account: { name: string; server: { name: string } };
      server: { name: string; accounts: Edges<{ name: string }> };
    }
    const read = await run<Read>(
      stack,
      `query($acc: ID!, $srv: ID!) {
        account(id: $acc) { name server { name } }
        server(id: $srv) { name accounts(first: 5) { edges { node { name } } } }
      }`,
      { acc: String(first.id), srv: globalId('Server', server.id) },
    );
    expect(read).toEqual({
      account: { name: newAccount, server: { name: newServer } },
      server: {
        name: newServer,
        accounts: { edges: [{ node: { name: newAccount } }, { node: { name: second.name } }] },
      },
    });
  });

  it("a safe's accounts loaded early show an assignment made later, and a removal after that", async () => {
    const server = await seedServer('192.0.2.2');
    const account = await seedAccount(server.id);
    const safe = await seedSafe();
    const listener = await seedListener();
    type SafeAccounts = { accounts: Edges<{ pamId: string }> };
    interface Out {
      before: { safe: SafeAccounts };
      assign: { assignment: { safe: SafeAccounts; listener: { pamId: string } } };
      seen: { account: { safes: Array<{ safe: { pamId: string }; listener: { pamId: string } }> } };
      remove: { removedAccountId: string };
      after: { safe: SafeAccounts };
    }
    const data = await run<Out>(
      stack,
      `mutation($s: ID!, $a: ID!, $l: ID!) {
        before: updateSafe(id: $s, input: { requiredVotes: 1 }) {
          ... on UpdateSafePayload { safe { accounts(first: 10) { edges { node { pamId } } } } } }
        assign: assignAccountToSafe(safeId: $s, accountId: $a, listenerId: $l) {
          ... on AssignAccountToSafePayload {
            assignment { safe { accounts(first: 10) { edges { node { pamId } } } } listener { pamId } } } }
        seen: updateAccount(id: $a, input: { ocrLang: "eng" }) {
          ... on UpdateAccountPayload { account { safes { safe { pamId } listener { pamId } } } } }
        remove: removeAccountFromSafe(safeId: $s, accountId: $a) {
          ... on RemoveAccountFromSafePayload { removedAccountId } }
        after: updateSafe(id: $s, input: { requiredVotes: 2 }) {
          ... on UpdateSafePayload { safe { accounts(first: 10) { edges { node { pamId } } } } } }
      }`,
      { s: String(safe.id), a: String(account.id), l: String(listener.id) },
    );
    expect(nodes(data.before.safe.accounts)).toEqual([]);
    expect(nodes(data.assign.assignment.safe.accounts)).toEqual([{ pamId: String(account.id) }]);
    expect(data.assign.assignment.listener).toEqual({ pamId: String(listener.id) });
    expect(data.seen.account.safes).toEqual([
      { safe: { pamId: String(safe.id) }, listener: { pamId: String(listener.id) } },
    ]);
    expect(data.remove.removedAccountId).toBe(globalId('Account', account.id));
    expect(nodes(data.after.safe.accounts)).toEqual([]);
  });

  it('a deleted account is gone from the lists later fields read, though they were loaded before the delete', async () => {
    const server = await seedServer('192.0.2.3');
    const doomed = await seedAccount(server.id);
    const kept = await seedAccount(server.id);
    const safe = await seedSafe();
    const listener = await seedListener();
    for (const account of [doomed, kept]) {
      await writer.pam('POST', `/api/system/safes/${safe.id}/accounts`, {
        account_id: account.id,
        listener_id: listener.id,
      });
    }
    type Ids = Edges<{ pamId: string }>;
    interface Out {
      early: { server: { accounts: Ids } };
      earlySafe: { safe: { accounts: Ids } };
      del: { __typename: string; deletedId: string };
      late: { server: { accounts: Ids } };
      lateSafe: { safe: { accounts: Ids } };
      again: { __typename: string };
    }
    const data = await run<Out>(
      stack,
      `mutation($srv: ID!, $s: ID!, $a: ID!) {
        early: updateServer(id: $srv, input: { description: "one" }) {
          ... on UpdateServerPayload { server { accounts(first: 10) { edges { node { pamId } } } } } }
        earlySafe: updateSafe(id: $s, input: { timeLimit: 5 }) {
          ... on UpdateSafePayload { safe { accounts(first: 10) { edges { node { pamId } } } } } }
        del: deleteAccount(id: $a) { __typename ... on DeleteAccountPayload { deletedId } }
        late: updateServer(id: $srv, input: { description: "two" }) {
          ... on UpdateServerPayload { server { accounts(first: 10) { edges { node { pamId } } } } } }
        lateSafe: updateSafe(id: $s, input: { timeLimit: 6 }) {
          ... on UpdateSafePayload { safe { accounts(first: 10) { edges { node { pamId } } } } } }
        again: updateAccount(id: $a, input: { ocrLang: "eng" }) { __typename }
      }`,
      { srv: String(server.id), s: String(safe.id), a: globalId('Account', doomed.id) },
    );
    const both = [{ pamId: String(doomed.id) }, { pamId: String(kept.id) }];
    expect(nodes(data.early.server.accounts)).toEqual(both);
    expect(nodes(data.earlySafe.safe.accounts)).toEqual(both);
    expect(data.del).toEqual({
      __typename: 'DeleteAccountPayload',
      deletedId: globalId('Account', doomed.id),
    });
    expect(nodes(data.late.server.accounts)).toEqual([{ pamId: String(kept.id) }]);
    expect(nodes(data.lateSafe.safe.accounts)).toEqual([{ pamId: String(kept.id) }]);
    expect(data.again.__typename).toBe('NotFoundError');
  });

  it('grants and a deleted user: grantedUsers read before, between and after show every change', async () => {
    const server = await seedServer('192.0.2.4');
    const account = await seedAccount(server.id);
    const { id: userId } = await writer.pam('POST', '/api/system/users', { name: uniq('usr'), role: 'user' });
    type Granted = { account: { grantedUsers: Array<{ pamId: string; name: string }> } };
    interface Out {
      a: Granted;
      grant: { user: { pamId: string } };
      b: Granted;
      rename: { user: { name: string } };
      c: Granted;
      gone: { deletedId: string };
      d: Granted;
    }
    const renamed = uniq('renamed-usr');
    const data = await run<Out>(
      stack,
      `mutation($a: ID!, $u: ID!, $n: String!) {
        a: updateAccount(id: $a, input: { ocrLang: "a" }) { ... on UpdateAccountPayload { account { grantedUsers { pamId name } } } }
        grant: grantAccountManagement(accountId: $a, userId: $u) { ... on GrantAccountManagementPayload { user { pamId } } }
        b: updateAccount(id: $a, input: { ocrLang: "b" }) { ... on UpdateAccountPayload { account { grantedUsers { pamId name } } } }
        rename: updateUser(id: $u, input: { name: $n }) { ... on UpdateUserPayload { user { name } } }
        c: updateAccount(id: $a, input: { ocrLang: "c" }) { ... on UpdateAccountPayload { account { grantedUsers { pamId name } } } }
        gone: deleteUser(id: $u) { ... on DeleteUserPayload { deletedId } }
        d: updateAccount(id: $a, input: { ocrLang: "d" }) { ... on UpdateAccountPayload { account { grantedUsers { pamId name } } } }
      }`,
      { a: String(account.id), u: globalId('User', userId), n: renamed },
    );
    expect(data.a.account.grantedUsers).toEqual([]);
    expect(data.grant.user.pamId).toBe(String(userId));
    expect(data.b.account.grantedUsers.map((u) => u.pamId)).toEqual([String(userId)]);
    expect(data.rename.user.name).toBe(renamed);
    expect(data.c.account.grantedUsers).toEqual([{ pamId: String(userId), name: renamed }]);
    expect(data.gone.deletedId).toBe(globalId('User', userId));
    expect(data.d.account.grantedUsers).toEqual([]);
  });

  it("an audit entry replaced and then deleted: a server's audit entries read in later fields are current", async () => {
    const address = '192.0.2.50';
    const server = await seedServer(address);
    const { id } = await writer.audit(stack.sims.credentials.audit.primaryOrganization, {
      ipaddress: address,
      job_name: 'before',
    });
    type Entries = { server: { auditEntries: Edges<{ jobName: string | null }> } };
    interface Out {
      a: Entries;
      replace: { auditEntry: { jobName: string } };
      b: Entries;
      del: { deletedId: string };
      c: Entries;
    }
    const select = `... on UpdateServerPayload { server { auditEntries(first: 5) { edges { node { jobName } } } } }`;
    const data = await run<Out>(
      stack,
      `mutation($srv: ID!, $e: ID!, $org: String!, $ip: String!) {
        a: updateServer(id: $srv, input: { description: "a" }) { ${select} }
        replace: replaceAuditEntry(id: $e, input: { organization: $org, ipAddress: $ip, jobName: "after" }) {
          ... on ReplaceAuditEntryPayload { auditEntry { jobName } } }
        b: updateServer(id: $srv, input: { description: "b" }) { ${select} }
        del: deleteAuditEntry(id: $e) { ... on DeleteAuditEntryPayload { deletedId } }
        c: updateServer(id: $srv, input: { description: "c" }) { ${select} }
      }`,
      {
        srv: String(server.id),
        e: id,
        org: stack.sims.credentials.audit.primaryOrganization,
        ip: address,
      },
    );
    expect(nodes(data.a.server.auditEntries)).toEqual([{ jobName: 'before' }]);
    expect(data.replace.auditEntry.jobName).toBe('after');
    expect(nodes(data.b.server.auditEntries)).toEqual([{ jobName: 'after' }]);
    expect(data.del.deletedId).toBe(globalId('AuditEntry', id));
    expect(nodes(data.c.server.auditEntries)).toEqual([]);
  });

  it('a server replaced in one field is read current by an account loaded in an earlier field', async () => {
    const server = await seedServer('192.0.2.5');
    const account = await seedAccount(server.id);
    const replacedName = uniq('replaced-srv');
    interface Out {
      a: { account: { server: { name: string; port: number; description: string | null } } };
      put: { server: { name: string } };
      b: { account: { server: { name: string; port: number; description: string | null } } };
    }
    const data = await run<Out>(
      stack,
      `mutation($a: ID!, $s: ID!, $n: String!) {
        a: updateAccount(id: $a, input: { ocrLang: "x" }) { ... on UpdateAccountPayload { account { server { name port description } } } }
        put: replaceServer(id: $s, input: { name: $n, address: "192.0.2.5", port: 2022, protocol: SSH, description: "new" }) {
          ... on ReplaceServerPayload { server { name } } }
        b: updateAccount(id: $a, input: { ocrLang: "y" }) { ... on UpdateAccountPayload { account { server { name port description } } } }
      }`,
      { a: String(account.id), s: String(server.id), n: replacedName },
    );
    expect(data.a.account.server).toEqual({ name: server.name, port: 22, description: null });
    expect(data.put.server.name).toBe(replacedName);
    expect(data.b.account.server).toEqual({ name: replacedName, port: 2022, description: 'new' });
  });
});
