/** PAM listeners (docs/upstreams.md §1.7). */
import type { ScopedUpstream } from '../scope.js';
import { pamDecoder as d, getOne, listPage, type PamPage, PROTOCOLS, type Protocol } from './common.js';

export const LISTENER_MODES = ['bastion', 'gateway', 'proxy', 'transparent'] as const;

export interface PamListener {
  id: number;
  name: string;
  protocol: Protocol;
  mode: (typeof LISTENER_MODES)[number];
  listenIp: string | null;
  listenPort: number | null;
  externalAddress: string | null;
  externalPort: number | null;
  blocked: boolean;
  reason: string | null;
  createdAt: string | null;
  modifiedAt: string | null;
}

export function decodeListener(value: unknown): PamListener {
  const l = d.object(value, 'listener');
  return {
    id: d.integer(l, 'id'),
    name: d.string(l, 'name'),
    protocol: d.oneOf(l, 'protocol', PROTOCOLS),
    mode: d.oneOf(l, 'mode', LISTENER_MODES),
    listenIp: d.optionalString(l, 'listen_ip') || null,
    listenPort: d.optionalInteger(l, 'listen_port'),
    externalAddress: d.optionalString(l, 'external_address') || null,
    externalPort: d.optionalInteger(l, 'external_port'),
    blocked: d.boolean(l, 'blocked', false),
    reason: d.optionalString(l, 'reason') || null,
    createdAt: d.optionalString(l, 'created_at'),
    modifiedAt: d.optionalString(l, 'modified_at'),
  };
}

/** `GET /api/system/listeners?page&page_size` */
export function listListeners(pam: ScopedUpstream, page: PamPage): Promise<PamListener[]> {
  return listPage(pam, '/api/system/listeners', page, decodeListener, 'listener');
}

/** `GET /api/system/listeners/:id` */
export function getListener(pam: ScopedUpstream, id: number): Promise<PamListener | null> {
  return getOne(pam, '/api/system/listeners', id, decodeListener);
}
