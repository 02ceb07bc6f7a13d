/** docs/upstreams.md §1.5 servers. */
import { compact, readBlocked, stamps } from './common.js';
import type { Resource } from './crud.js';
import type { FieldReader } from './reader.js';
import type { PamState } from './store.js';
import { PROTOCOLS, type Server } from './types.js';

/** (address, mask, port) is unique together; compared on the lower-cased address. */
function checkEndpointUnique(state: PamState, reader: FieldReader, server: Omit<Server, 'id'>, id?: number) {
  const address = server.address.toLowerCase();
  for (const other of state.servers.rows.values()) {
    if (other.id === id || other.port !== server.port || other.mask !== server.mask) continue;
    if (other.address.toLowerCase() === address) {
      reader.errors.add('non_field_errors', 'The fields address, mask, port must make a unique set.');
      return;
    }
  }
}

function parseServer(state: PamState, r: FieldReader, existing: Server | undefined): Omit<Server, 'id'> {
  const server: Omit<Server, 'id'> = {
    name: r.string('name', { required: true, min: 1, max: 255 }) ?? '',
    description: r.string('description', { max: 1024 }) ?? '',
    address: r.string('address', { required: true, format: 'ip' }) ?? '',
    mask: r.integer('mask', { nullable: true, min: 0, max: 128 }) ?? null,
    port: r.integer('port', { required: true, min: 1, max: 65535 }) ?? 0,
    protocol: r.choice('protocol', PROTOCOLS, { required: true }) ?? 'ssh',
    bindIp: r.string('bind_ip', { nullable: true, format: 'ip' }) ?? null,
    ...readBlocked(r),
    ...stamps(state, existing),
  };
  if (server.address && server.port) checkEndpointUnique(state, r, server, existing?.id);
  return server;
}

export function serializeServer(server: Server) {
  return {
    id: server.id,
    name: server.name,
    description: server.description,
    address: server.address,
    mask: server.mask,
    port: server.port,
    protocol: server.protocol,
    bind_ip: server.bindIp,
    blocked: server.blocked,
    reason: server.reason,
    created_at: server.createdAt,
    modified_at: server.modifiedAt,
  };
}

export const servers: Resource<Server> = {
  table: (state) => state.servers,
  article: 'A server',
  immutable: ['protocol'],
  mergeNested: [],
  parse: parseServer,
  toInput: (server) => compact(serializeServer(server)),
  serialize: (_state, server) => serializeServer(server),
  checkDelete(state, server) {
    let users = 0;
    for (const account of state.accounts.rows.values()) if (account.serverId === server.id) users++;
    return users > 0 ? `This server is used by ${users} account(s) and cannot be deleted.` : undefined;
  },
};
