/** PAM servers (docs/upstreams.md §1.5). */
import type { ScopedUpstream } from '../scope.js';
import { pamDecoder as d, getOne, listPage, type PamPage, PROTOCOLS, type Protocol } from './common.js';

export interface PamServer {
  id: number;
  name: string;
  description: string | null;
  address: string;
  mask: number | null;
  port: number;
  protocol: Protocol;
  bindIp: string | null;
  blocked: boolean;
  reason: string | null;
  createdAt: string | null;
  modifiedAt: string | null;
}

export function decodeServer(value: unknown): PamServer {
  const s = d.object(value, 'server');
  return {
    id: d.integer(s, 'id'),
    name: d.string(s, 'name'),
    description: d.optionalString(s, 'description') || null,
    address: d.string(s, 'address'),
    mask: d.optionalInteger(s, 'mask'),
    port: d.integer(s, 'port'),
    protocol: d.oneOf(s, 'protocol', PROTOCOLS),
    bindIp: d.optionalString(s, 'bind_ip') || null,
    blocked: d.boolean(s, 'blocked', false),
    reason: d.optionalString(s, 'reason') || null,
    createdAt: d.optionalString(s, 'created_at'),
    modifiedAt: d.optionalString(s, 'modified_at'),
  };
}

/** `GET /api/system/servers?page&page_size` */
export function listServers(pam: ScopedUpstream, page: PamPage): Promise<PamServer[]> {
  return listPage(pam, '/api/system/servers', page, decodeServer, 'server');
}

/** `GET /api/system/servers/:id` */
export function getServer(pam: ScopedUpstream, id: number): Promise<PamServer | null> {
  return getOne(pam, '/api/system/servers', id, decodeServer);
}
