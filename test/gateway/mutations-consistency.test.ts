/**
 * After a write, the loaders of that request are renewed or primed, so that a later field of the same operation
 * never serves what was loaded before the write. Mutation fields run in order; each test loads an object in an
 * early field, changes it in a later one, and reads it again in a later field still (and in a second operation).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AccountAndServerNamesDocument,
  AssignThenRemoveBetweenReadsDocument,
  DeleteAccountBetweenReadsDocument,
  GrantRenameDeleteUserBetweenReadsDocument,
  RenameAccountThenServerDocument,
  ReplaceServerBetweenReadsDocument,
  ReplaceThenDeleteAuditEntryBetweenReadsDocument,
} from '../gql/graphql.js';
import { globalId, member, payloadOf, run } from '../support/mutations.js';
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
    const data = await run(stack, RenameAccountThenServerDocument, {
      acc: globalId('Account', first.id),
      srv: String(server.id),
      an: newAccount,
      sn: newServer,
    });
    expect(data.a).toEqual({
      __typename: 'UpdateAccountPayload',
      account: { name: newAccount, server: { name: server.name } },
    });
    const b = member(data.b, 'UpdateServerPayload');
    expect(b.server.name).toBe(newServer);
    expect(nodes(b.server.accounts)).toEqual([
      { name: newAccount, server: { name: newServer } },
      { name: second.name, server: { name: newServer } },
    ]);

    const read = await run(stack, AccountAndServerNamesDocument, {
      acc: String(first.id),
      srv: globalId('Server', server.id),
    });
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
    const data = await run(stack, AssignThenRemoveBetweenReadsDocument, {
      s: String(safe.id),
      a: String(account.id),
      l: String(listener.id),
    });
    const assign = payloadOf(data.assign, 'assignment').assignment;
    expect(nodes(payloadOf(data.before, 'safe').safe.accounts)).toEqual([]);
    expect(nodes(assign.safe.accounts)).toEqual([{ pamId: String(account.id) }]);
    expect(assign.listener).toEqual({ pamId: String(listener.id) });
    expect(payloadOf(data.seen, 'account').account.safes).toEqual([
      { safe: { pamId: String(safe.id) }, listener: { pamId: String(listener.id) } },
    ]);
    expect(payloadOf(data.remove, 'removedAccountId').removedAccountId).toBe(globalId('Account', account.id));
    expect(nodes(payloadOf(data.after, 'safe').safe.accounts)).toEqual([]);
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
    const data = await run(stack, DeleteAccountBetweenReadsDocument, {
      srv: String(server.id),
      s: String(safe.id),
      a: globalId('Account', doomed.id),
    });
    const both = [{ pamId: String(doomed.id) }, { pamId: String(kept.id) }];
    expect(nodes(payloadOf(data.early, 'server').server.accounts)).toEqual(both);
    expect(nodes(payloadOf(data.earlySafe, 'safe').safe.accounts)).toEqual(both);
    expect(data.del).toEqual({
      __typename: 'DeleteAccountPayload',
      deletedId: globalId('Account', doomed.id),
    });
    expect(nodes(payloadOf(data.late, 'server').server.accounts)).toEqual([{ pamId: String(kept.id) }]);
    expect(nodes(payloadOf(data.lateSafe, 'safe').safe.accounts)).toEqual([{ pamId: String(kept.id) }]);
    expect(data.again.__typename).toBe('NotFoundError');
  });

  it('grants and a deleted user: grantedUsers read before, between and after show every change', async () => {
    const server = await seedServer('192.0.2.4');
    const account = await seedAccount(server.id);
    const { id: userId } = await writer.pam('POST', '/api/system/users', { name: uniq('usr'), role: 'user' });
    const renamed = uniq('renamed-usr');
    const data = await run(stack, GrantRenameDeleteUserBetweenReadsDocument, {
      a: String(account.id),
      u: globalId('User', userId),
      n: renamed,
    });
    const grantedUsers = (field: typeof data.a) => payloadOf(field, 'account').account.grantedUsers;
    expect(grantedUsers(data.a)).toEqual([]);
    expect(payloadOf(data.grant, 'user').user.pamId).toBe(String(userId));
    expect(grantedUsers(data.b)?.map((u) => u.pamId)).toEqual([String(userId)]);
    expect(payloadOf(data.rename, 'user').user.name).toBe(renamed);
    expect(grantedUsers(data.c)).toEqual([{ pamId: String(userId), name: renamed }]);
    expect(payloadOf(data.gone, 'deletedId').deletedId).toBe(globalId('User', userId));
    expect(grantedUsers(data.d)).toEqual([]);
  });

  it("an audit entry replaced and then deleted: a server's audit entries read in later fields are current", async () => {
    const address = '192.0.2.50';
    const server = await seedServer(address);
    const { id } = await writer.audit(stack.sims.credentials.audit.primaryOrganization, {
      ipaddress: address,
      job_name: 'before',
    });
    const data = await run(stack, ReplaceThenDeleteAuditEntryBetweenReadsDocument, {
      srv: String(server.id),
      e: id,
      org: stack.sims.credentials.audit.primaryOrganization,
      ip: address,
    });
    const jobNames = (field: typeof data.a) => nodes(payloadOf(field, 'server').server.auditEntries);
    expect(jobNames(data.a)).toEqual([{ jobName: 'before' }]);
    expect(payloadOf(data.replace, 'auditEntry').auditEntry.jobName).toBe('after');
    expect(jobNames(data.b)).toEqual([{ jobName: 'after' }]);
    expect(payloadOf(data.del, 'deletedId').deletedId).toBe(globalId('AuditEntry', id));
    expect(jobNames(data.c)).toEqual([]);
  });

  it('a server replaced in one field is read current by an account loaded in an earlier field', async () => {
    const server = await seedServer('192.0.2.5');
    const account = await seedAccount(server.id);
    const replacedName = uniq('replaced-srv');
    const data = await run(stack, ReplaceServerBetweenReadsDocument, {
      a: String(account.id),
      s: String(server.id),
      n: replacedName,
    });
    expect(payloadOf(data.a, 'account').account.server).toEqual({
      name: server.name,
      port: 22,
      description: null,
    });
    expect(payloadOf(data.put, 'server').server.name).toBe(replacedName);
    expect(payloadOf(data.b, 'account').account.server).toEqual({
      name: replacedName,
      port: 2022,
      description: 'new',
    });
  });
});
