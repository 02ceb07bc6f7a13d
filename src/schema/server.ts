/**
 * `Server`: a host (or subnet) that privileged accounts live on (PAM API §1.5).
 */
import type { GatewayContext } from '../context.js';
import { toMatchServer } from '../loaders/matching.js';
import { serverMatchesEntry } from '../match/index.js';
import { builder } from './builder.js';
import { type ConnectionArgs, pageArgs, toConnection, windowOf } from './connection.js';
import {
  AccountConnection,
  AuditEntryConnection,
  type AuditEntryConnectionShape,
  ServerConnection,
} from './connections.js';
import { ProtocolEnum } from './enums.js';
import { ServerRef, type ServerSource } from './refs.js';
import { pamRootFields } from './root-fields.js';
import { stubbedType } from './stubs.js';

const { load: loadServer, via } = stubbedType((ctx: GatewayContext) => ctx.loaders.servers.byId, 'server');

async function serverAuditEntries(
  source: ServerSource,
  args: ConnectionArgs,
  ctx: GatewayContext,
): Promise<AuditEntryConnectionShape> {
  const window = windowOf(args, ctx.limits);
  const server = toMatchServer(await loadServer(source, ctx));
  const need = window.offset + window.first + 1;
  const scan = await ctx.loaders.auditLog.collect((e) => serverMatchesEntry(server, e), need);
  return { ...toConnection(scan.entries.slice(window.offset), window), truncated: scan.truncated };
}

builder.node(ServerRef, {
  description: 'A server (or a subnet, when `mask` is set) that privileged accounts live on.',
  id: { resolve: (server) => server.id, parse: (id) => Number(id) },
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.servers.byId.load(id)),
  fields: (t) => ({
    pamId: t.exposeID('id', { description: 'The server’s id in the PAM API.' }),
    name: t.exposeString('name', { description: 'Unique server name.' }),
    description: t.string({
      nullable: true,
      description: 'Free-text description.',
      resolve: via((s) => s.description),
    }),
    address: t.field({
      type: 'IP',
      description: 'IPv4 or IPv6 address (the network address for a subnet).',
      resolve: via((s) => s.address),
    }),
    mask: t.int({
      nullable: true,
      description: 'Prefix length when the server stands for a subnet; null for one host.',
      resolve: via((s) => s.mask),
    }),
    port: t.field({ type: 'Port', description: 'Service port.', resolve: via((s) => s.port) }),
    protocol: t.field({
      type: ProtocolEnum,
      description: 'Service protocol.',
      resolve: via((s) => s.protocol),
    }),
    bindIp: t.field({
      type: 'IP',
      nullable: true,
      description: 'Source address for connections; null when any.',
      resolve: via((s) => s.bindIp),
    }),
    blocked: t.boolean({
      description: 'Whether connections to the server are blocked.',
      resolve: via((s) => s.blocked),
    }),
    reason: t.string({
      nullable: true,
      description: 'Why the server is blocked.',
      resolve: via((s) => s.reason),
    }),
    createdAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it was created.',
      resolve: via((s) => s.createdAt),
    }),
    modifiedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it last changed.',
      resolve: via((s) => s.modifiedAt),
    }),
    accounts: t.field({
      type: AccountConnection,
      nullable: true,
      description: 'Accounts on this server visible to the caller, ascending by id.',
      args: pageArgs(t.arg, 'accounts'),
      resolve: async (server, args, ctx) => {
        const window = windowOf(args, ctx.limits);
        const all = await ctx.loaders.accounts.all();
        const mine = all.filter((a) => a.serverId === server.id);
        return toConnection(mine.slice(window.offset, window.offset + window.first + 1), window);
      },
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

pamRootFields({
  typename: 'Server',
  noun: 'server',
  ref: ServerRef,
  connection: ServerConnection,
  collection: (ctx) => ctx.loaders.servers,
});
