/**
 * `Account`: a privileged account on a server (docs/upstreams.md §1.2, §1.3). Its own fields come from its
 * description (src/resources/account.ts; the credentials' secrets have no output field); this file adds the
 * relations. Backed by the full account or by a `{id, name}` stub (see stubs.ts): fields beyond id and name
 * load the account through the request's DataLoader.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { GatewayContext } from '../context.js';
import { toMatchAccount, toMatchServer } from '../loaders/matching.js';
import { Account } from '../resources/index.js';
import {
  AuditEntryList,
  auditCandidates,
  type CountedAuditConnection,
  resolveAuditList,
} from './audit-lists.js';
import { builder } from './builder.js';
import { AccountConnection, AuditEntryConnection } from './connections.js';
import { describedFields } from './derive.js';
import { AccountList } from './list-defs.js';
import { type ListArgs, listArgs } from './lists.js';
import {
  AccountRef,
  AccountSafeRef,
  type AccountSource,
  ListenerRef,
  SafeRef,
  ServerRef,
  UserRef,
} from './refs.js';
import { listOptions, loadList, loadOne, oneOptions } from './root-fields.js';
import { full, isStub, refOrLoad, stubOf, stubReader } from './stubs.js';

const loaderOf = (ctx: GatewayContext) => ctx.loaders.accounts.byId;
const loadAccount = (source: AccountSource, ctx: GatewayContext) => full(source, loaderOf(ctx), 'account');
const read = stubReader(loaderOf, 'account');

function accountAuditEntries(
  source: AccountSource,
  args: ListArgs,
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
): Promise<CountedAuditConnection> {
  // A loaded account with credentials will be scanned for: start the log while its server is looked up.
  if (!isStub(source) && source.credentials) ctx.loaders.auditLog.prefetch();
  /** The account and its server as §3 matches them; null when no entry can name the account. */
  const matchOf = async () => {
    const account = await loadAccount(source, ctx);
    const matchAccount = toMatchAccount(account);
    const server = matchAccount ? await ctx.loaders.servers.byId.load(account.serverId) : null;
    return matchAccount && server ? { account: matchAccount, server: toMatchServer(server) } : null;
  };
  const none = { entries: [], truncated: false };
  return resolveAuditList(
    args,
    ctx,
    {
      candidates: async (match, need = Number.POSITIVE_INFINITY) => {
        const m = await matchOf();
        if (!m) return { ...none, ordered: true };
        return auditCandidates(ctx.loaders.auditLog.forAccount(m.account, m.server, need, match));
      },
      window: async (offset, count) => {
        const m = await matchOf();
        if (!m) return none;
        const scan = await ctx.loaders.auditLog.forAccount(m.account, m.server, offset + count);
        return { entries: scan.entries.slice(offset), truncated: scan.truncated };
      },
    },
    info,
  );
}

builder.node(AccountRef, {
  description: Account.description,
  id: { resolve: (account) => account.id, parse: (id) => Number(id) },
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.accounts.byId.load(id)),
  fields: (t) => ({
    ...describedFields(t, Account, read),
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
        const users = await ctx.loaders.grantedUsers.byAccount.load(source.id);
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
      args: listArgs(t.arg, AuditEntryList, 'entries', 'CREATED_AT, DESC'),
      resolve: (source, args, ctx, info) => accountAuditEntries(source, args, ctx, info),
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

builder.queryFields((t) => ({
  account: t.field({
    type: AccountRef,
    ...oneOptions(t, 'account', ' or is not visible to the caller'),
    resolve: (_root, args, ctx) => loadOne(ctx.loaders.accounts, args.id, 'Account'),
  }),
  accounts: t.field({
    type: AccountConnection,
    ...listOptions(t, 'accounts', 'Accounts visible to the caller, in ascending PAM id order.', AccountList),
    resolve: (_root, args, ctx) => loadList(ctx.loaders.accounts, AccountList, args, ctx),
  }),
}));
