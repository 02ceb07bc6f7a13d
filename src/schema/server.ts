/**
 * `Server`: a host (or subnet) that privileged accounts live on (PAM API §1.5).
 */
import type { GatewayContext } from '../context.js';
import { toMatchServer } from '../loaders/matching.js';
import { Server } from '../resources/index.js';
import { builder } from './builder.js';
import {
  AccountConnection,
  AuditEntryConnection,
  type AuditEntryConnectionShape,
  ServerConnection,
} from './connections.js';
import { describedFields } from './derive.js';
import { AccountList, ServerList } from './list-defs.js';
import { listArgs, resolveList } from './lists.js';
import { type ConnectionArgs, pageArgs, toConnection, windowOf } from './paging.js';
import { ServerRef, type ServerSource } from './refs.js';
import { listOptions, loadList, loadOne, oneOptions } from './root-fields.js';
import { full, stubReader } from './stubs.js';

const loaderOf = (ctx: GatewayContext) => ctx.loaders.servers.byId;
const loadServer = (source: ServerSource, ctx: GatewayContext) => full(source, loaderOf(ctx), 'server');
const read = stubReader(loaderOf, 'server');

async function serverAuditEntries(
  source: ServerSource,
  args: ConnectionArgs,
  ctx: GatewayContext,
): Promise<AuditEntryConnectionShape> {
  const window = windowOf(args, ctx.limits);
  const server = toMatchServer(await loadServer(source, ctx));
  const need = window.offset + window.first + 1;
  const scan = await ctx.loaders.auditLog.forServer(server, need);
  return { ...toConnection(scan.entries.slice(window.offset), window), truncated: scan.truncated };
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
      args: pageArgs(t.arg, 'entries'),
      resolve: (server, args, ctx) => serverAuditEntries(server, args, ctx),
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
