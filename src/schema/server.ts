/**
 * `Server`: a host (or subnet) that privileged accounts live on (PAM API §1.5).
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { GatewayContext } from '../context.js';
import { toMatchServer } from '../loaders/matching.js';
import { Server } from '../resources/index.js';
import {
  AuditEntryList,
  auditCandidates,
  type CountedAuditConnection,
  resolveAuditList,
} from './audit-lists.js';
import { builder } from './builder.js';
import { AccountConnection, AuditEntryConnection, ServerConnection } from './connections.js';
import { describedFields } from './derive.js';
import { AccountList, ServerList } from './list-defs.js';
import { type ListArgs, listArgs, resolveList } from './lists.js';
import { ServerRef, type ServerSource } from './refs.js';
import { listOptions, loadList, loadOne, oneOptions } from './root-fields.js';
import { full, stubReader } from './stubs.js';

const loaderOf = (ctx: GatewayContext) => ctx.loaders.servers.byId;
const loadServer = (source: ServerSource, ctx: GatewayContext) => full(source, loaderOf(ctx), 'server');
const read = stubReader(loaderOf, 'server');

function serverAuditEntries(
  source: ServerSource,
  args: ListArgs,
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
): Promise<CountedAuditConnection> {
  const matchServer = async () => toMatchServer(await loadServer(source, ctx));
  return resolveAuditList(
    args,
    ctx,
    {
      candidates: async (match, need = Number.POSITIVE_INFINITY) =>
        auditCandidates(ctx.loaders.auditLog.forServer(await matchServer(), need, match)),
      window: async (offset, count) => {
        const scan = await ctx.loaders.auditLog.forServer(await matchServer(), offset + count);
        return { entries: scan.entries.slice(offset), truncated: scan.truncated };
      },
    },
    info,
  );
}

builder.node(ServerRef, {
  description: Server.description,
  id: { resolve: (server) => server.id, parse: (id) => Number(id) },
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.servers.byId.load(id)),
  fields: (t) => ({
    ...describedFields(t, Server, read),
    accounts: t.field({
      type: AccountConnection,
      nullable: true,
      description:
        'Accounts on this server visible to the caller, ascending by id unless `orderBy` says otherwise.',
      args: listArgs(t.arg, AccountList, 'accounts', 'ID, ASC'),
      resolve: (server, args, ctx) =>
        resolveList(AccountList, args, ctx, {
          all: async () => (await ctx.loaders.accounts.all()).filter((a) => a.serverId === server.id),
        }),
    }),
    auditEntries: t.field({
      type: AuditEntryConnection,
      nullable: true,
      description:
        'Audit entries whose device address matches this server (docs/upstreams.md §3: same address or inside the ' +
        'subnet, narrowed by protocol), newest first. From the Audit API: null when it fails.',
      args: listArgs(t.arg, AuditEntryList, 'entries', 'CREATED_AT, DESC'),
      resolve: (server, args, ctx, info) => serverAuditEntries(server, args, ctx, info),
    }),
  }),
});

builder.queryFields((t) => ({
  server: t.field({
    type: ServerRef,
    ...oneOptions(t, 'server'),
    resolve: (_root, args, ctx) => loadOne(ctx.loaders.servers, args.id, 'Server'),
  }),
  servers: t.field({
    type: ServerConnection,
    ...listOptions(t, 'servers', 'Servers in ascending PAM id order.', ServerList),
    resolve: (_root, args, ctx) => loadList(ctx.loaders.servers, ServerList, args, ctx),
  }),
}));
