/**
 * `Account`: a privileged account on a server (PAM API §1.2, §1.3). Every exposed field is declared by
 * hand; the credentials' secrets have no field at all. Backed by the full account or by a `{id, name}`
 * stub (see stubs.ts): fields beyond id and name load the account through the request's DataLoader.
 */
import type { GatewayContext } from '../context.js';
import { toMatchAccount, toMatchServer } from '../loaders/matching.js';
import { accountMatchesEntry } from '../match/index.js';
import { builder } from './builder.js';
import { type ConnectionArgs, pageArgs, toConnection, windowOf } from './connection.js';
import { AccountConnection, AuditEntryConnection, type AuditEntryConnectionShape } from './connections.js';
import { AccountTypeEnum, DumpModeEnum } from './enums.js';
import {
  AccountRef,
  AccountSafeRef,
  type AccountSource,
  CredentialsRef,
  ListenerRef,
  PasswordChangerRef,
  SafeRef,
  ServerRef,
  UserRef,
} from './refs.js';
import { pamRootFields } from './root-fields.js';
import { isStub, refOrLoad, stubbedType, stubOf } from './stubs.js';

const { load: loadAccount, via } = stubbedType((ctx: GatewayContext) => ctx.loaders.accounts.byId, 'account');

async function accountAuditEntries(
  source: AccountSource,
  args: ConnectionArgs,
  ctx: GatewayContext,
): Promise<AuditEntryConnectionShape> {
  const window = windowOf(args, ctx.limits);
  // A loaded account with credentials will be scanned for: start the log while its server is looked up.
  if (!isStub(source) && source.credentials) ctx.loaders.auditLog.prefetch();
  const account = await loadAccount(source, ctx);
  const matchAccount = toMatchAccount(account);
  const server = matchAccount ? await ctx.loaders.servers.byId.load(account.serverId) : null;
  if (!matchAccount || !server) return { ...toConnection([], window), truncated: false };
  const matchServer = toMatchServer(server);
  const need = window.offset + window.first + 1;
  const scan = await ctx.loaders.auditLog.collect(
    (e) => accountMatchesEntry(matchAccount, matchServer, e),
    need,
  );
  return { ...toConnection(scan.entries.slice(window.offset), window), truncated: scan.truncated };
}

builder.node(AccountRef, {
  description: 'A privileged account that lives on one server and is exposed to users through safes.',
  id: { resolve: (account) => account.id, parse: (id) => Number(id) },
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.accounts.byId.load(id)),
  fields: (t) => ({
    pamId: t.exposeID('id', { description: 'The account’s id in the PAM API.' }),
    name: t.exposeString('name', { description: 'Unique account name.' }),
    type: t.field({
      type: AccountTypeEnum,
      description: 'How users authenticate through the account.',
      resolve: via((a) => a.type),
    }),
    blocked: t.boolean({
      description: 'Whether the account is blocked from use.',
      resolve: via((a) => a.blocked),
    }),
    dumpMode: t.field({
      type: DumpModeEnum,
      description: 'Session recording.',
      resolve: via((a) => a.dumpMode),
    }),
    ocrEnabled: t.boolean({
      description: 'Whether recorded sessions are OCR-processed.',
      resolve: via((a) => a.ocrEnabled),
    }),
    ocrLang: t.string({
      nullable: true,
      description: 'OCR language(s), e.g. `eng`.',
      resolve: via((a) => a.ocrLang),
    }),
    passwordLastUpdate: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the secret last changed; null when never.',
      resolve: via((a) => a.passwordLastUpdate),
    }),
    passwordChangeRequest: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When a password change was requested; null when none is pending.',
      resolve: via((a) => a.passwordChangeRequest),
    }),
    passwordCheckoutTimeLimit: t.field({
      type: 'ClockDuration',
      nullable: true,
      description: 'How long a checked-out secret stays valid; null when unlimited.',
      resolve: via((a) => a.passwordCheckoutTimeLimit),
    }),
    passwordRecovery: t.boolean({
      description:
        'Whether a password verifier triggers a password changer automatically (regular accounts).',
      resolve: via((a) => a.passwordRecovery),
    }),
    retention: t.field({
      type: 'PositiveInt',
      nullable: true,
      description: 'Days before session data is deleted; null when kept.',
      resolve: via((a) => a.retention),
    }),
    credentials: t.field({
      type: CredentialsRef,
      nullable: true,
      description: 'Login details; null for anonymous accounts. Secrets and private keys are never exposed.',
      resolve: via((a) => a.credentials),
    }),
    passwordChangers: t.field({
      type: [PasswordChangerRef],
      description: 'Password changers configured on the account, by position.',
      resolve: via((a) => [...a.passwordChangers].sort((x, y) => x.position - y.position)),
    }),
    server: t.field({
      type: ServerRef,
      nullable: true,
      description: 'The server the account lives on; null when it cannot be loaded.',
      resolve: async (source, _args, ctx) => {
        const account = await loadAccount(source, ctx);
        return refOrLoad(account.server, account.serverId, ctx.loaders.servers.byId);
      },
    }),
    grantedUsers: t.field({
      type: [UserRef],
      nullable: true,
      description: 'Users who may manage the account, ascending by id; null when it cannot be loaded.',
      resolve: async (source, _args, ctx) => {
        const users = await ctx.loaders.grantedUsers.load(source.id);
        return users?.map(stubOf) ?? null;
      },
    }),
    safes: t.field({
      type: [AccountSafeRef],
      nullable: true,
      description:
        'The safes that expose the account, each with the listener it is exposed through (one item per ' +
        'safe and listener), ascending by safe id; null when it cannot be loaded.',
      resolve: async (source, _args, ctx) => {
        const index = await ctx.loaders.assignments.index();
        return (index.byAccount.get(source.id) ?? []).flatMap((a) => {
          const safe = index.safes.get(a.safeId);
          return safe ? [{ safe, listener: stubOf(a.listener) }] : [];
        });
      },
    }),
    auditEntries: t.field({
      type: AuditEntryConnection,
      nullable: true,
      description:
        'Audit entries of jobs that logged in with this account on its server (docs/upstreams.md §3: same login, ' +
        'and the entry’s address matches the server), newest first. From the Audit API: null when it fails.',
      args: pageArgs(t.arg, 'entries'),
      resolve: (source, args, ctx) => accountAuditEntries(source, args, ctx),
    }),
  }),
});

builder.objectType(AccountSafeRef, {
  description: 'A safe that exposes an account, with the listener it is exposed through.',
  fields: (t) => ({
    safe: t.field({ type: SafeRef, description: 'The safe.', resolve: (item) => item.safe }),
    listener: t.field({
      type: ListenerRef,
      description: 'The listener through which the safe exposes the account.',
      resolve: (item) => item.listener,
    }),
  }),
});

pamRootFields({
  typename: 'Account',
  noun: 'account',
  ref: AccountRef,
  connection: AccountConnection,
  visibility: ' or is not visible to the caller',
  listDescription: 'Accounts visible to the caller, in ascending PAM id order.',
  collection: (ctx) => ctx.loaders.accounts,
});
