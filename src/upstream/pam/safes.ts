/** PAM safes (docs/upstreams.md §1.6) and their account assignments (§1.4). */
import type { ScopedUpstream } from '../scope.js';
import { pamDecoder as d, getOne, listPage, type PamPage, type PamRef } from './common.js';

export const NOTE_ACCESS = ['none', 'read', 'write'] as const;

export interface PamSafe {
  id: number;
  name: string;
  blocked: boolean;
  reason: string | null;
  loginReason: boolean;
  requireConfirmation: boolean;
  requiredVotes: number;
  webclient: boolean;
  inactivityLimit: number;
  timeLimit: number;
  noteAccess: (typeof NOTE_ACCESS)[number];
  createdAt: string | null;
  modifiedAt: string | null;
}

/** One account exposed by one safe through one listener. */
export interface PamAssignment {
  safeId: number;
  account: PamRef;
  listener: PamRef;
}

export function decodeSafe(value: unknown): PamSafe {
  const s = d.object(value, 'safe');
  return {
    id: d.integer(s, 'id'),
    name: d.string(s, 'name'),
    blocked: d.boolean(s, 'blocked', false),
    reason: d.optionalString(s, 'reason') || null,
    loginReason: d.boolean(s, 'login_reason', false),
    requireConfirmation: d.boolean(s, 'require_confirmation', false),
    requiredVotes: d.optionalInteger(s, 'required_votes') ?? 0,
    webclient: d.boolean(s, 'webclient', true),
    inactivityLimit: d.optionalInteger(s, 'inactivity_limit') ?? 0,
    timeLimit: d.optionalInteger(s, 'time_limit') ?? 0,
    noteAccess: s.note_access == null ? 'none' : d.oneOf(s, 'note_access', NOTE_ACCESS),
    createdAt: d.optionalString(s, 'created_at'),
    modifiedAt: d.optionalString(s, 'modified_at'),
  };
}

/**
 * An assignment of safe `safeId`. `account`/`listener` are the documented read fields; `account_id`/
 * `listener_id` are only echoed by some versions, and after a write the ids just sent are known: both are
 * fallbacks, never relied upon.
 */
export function decodeAssignment(safeId: number, written?: { accountId: number; listenerId: number }) {
  return (value: unknown): PamAssignment => {
    const a = d.object(value, 'safe assignment');
    const account =
      d.ref(a.account, 'assignment account') ?? refFromId(a.account_id ?? written?.accountId, 'account');
    const listener =
      d.ref(a.listener, 'assignment listener') ?? refFromId(a.listener_id ?? written?.listenerId, 'listener');
    return { safeId, account, listener };
  };
}

function refFromId(id: unknown, what: string): PamRef {
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) d.fail(`a safe assignment without its ${what}`);
  return { id, name: '' };
}

/** `GET /api/system/safes?page&page_size` */
export function listSafes(pam: ScopedUpstream, page: PamPage): Promise<PamSafe[]> {
  return listPage(pam, '/api/system/safes', page, decodeSafe, 'safe');
}

/** `GET /api/system/safes/:id` */
export function getSafe(pam: ScopedUpstream, id: number): Promise<PamSafe | null> {
  return getOne(pam, '/api/system/safes', id, decodeSafe);
}

/** `GET /api/system/safes/:id/accounts?page&page_size`: the safe's assignments, by (account, listener). */
export function listSafeAssignments(
  pam: ScopedUpstream,
  safeId: number,
  page: PamPage,
): Promise<PamAssignment[]> {
  return listPage(
    pam,
    `/api/system/safes/${safeId}/accounts`,
    page,
    decodeAssignment(safeId),
    'safe assignment',
  );
}
