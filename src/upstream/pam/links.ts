/**
 * Granted users (docs/upstreams.md §1.3) and safe assignments (§1.4): listed per account and per safe, written
 * through their own endpoints with argument-style bodies (their issues name the mutation's arguments).
 */
import { Assignment, Grant, type PamRef, type ReadOf } from '../../resources/index.js';
import type { WriteOutcome } from '../../write/types.js';
import { buildBody } from '../body.js';
import { decodeResource } from '../decode.js';
import type { ScopedUpstream } from '../scope.js';
import { decodeNothing, notFoundWithoutRequest, sendWrite } from '../write-outcome.js';
import { isPamId, pamIssues } from './collections.js';
import { decodeRefList, listPage, type PamPage, pamDecoder } from './common.js';

const BASE = '/api/system';

/** One account exposed by one safe through one listener. */
export type PamAssignment = ReadOf<typeof Assignment> & { safeId: number };

/**
 * An assignment of safe `safeId`. `account`/`listener` are the documented read fields; `account_id`/`listener_id`
 * are only echoed by some versions, and after a write the ids just sent are known: both are fallbacks.
 */
export function decodeAssignment(safeId: number, written?: { accountId: number; listenerId: number }) {
  return (value: unknown): PamAssignment => {
    const item = pamDecoder.object(value, 'safe assignment');
    const withIds = { account_id: written?.accountId, listener_id: written?.listenerId, ...item };
    return { safeId, ...decodeResource(pamDecoder, Assignment, withIds) };
  };
}

/** `GET /api/system/accounts/:id/granted_users?page&page_size`: users who may manage the account. */
export async function listGrantedUsers(
  pam: ScopedUpstream,
  accountId: number,
  page: PamPage,
): Promise<PamRef[]> {
  const body = await pam.get(`${BASE}/accounts/${accountId}/granted_users`, {
    page: page.page,
    page_size: page.pageSize,
  });
  return decodeRefList(body, 'granted user');
}

/** `GET /api/system/safes/:id/accounts?page&page_size`: the safe's assignments, by (account, listener). */
export function listSafeAssignments(
  pam: ScopedUpstream,
  safeId: number,
  page: PamPage,
): Promise<PamAssignment[]> {
  return listPage(pam, `${BASE}/safes/${safeId}/accounts`, page, decodeAssignment(safeId), 'safe assignment');
}

/** `POST /api/system/accounts/:account_id/granted_users` with `{user_id}`: the user may manage the account. */
export function grantAccountManagement(
  pam: ScopedUpstream,
  accountId: number,
  userId: number,
): Promise<WriteOutcome<PamRef>> {
  if (!isPamId(accountId)) return notFoundWithoutRequest();
  return sendWrite(pam, {
    method: 'POST',
    path: `${BASE}/accounts/${accountId}/granted_users`,
    body: buildBody(Grant, { userId }),
    decode: (value) => decodeResource(pamDecoder, Grant, value),
    issues: pamIssues(Grant, '', []),
  });
}

/** `DELETE /api/system/accounts/:account_id/granted_users/:user_id`; not granted is `not_found`. */
export function revokeAccountManagement(
  pam: ScopedUpstream,
  accountId: number,
  userId: number,
): Promise<WriteOutcome<null>> {
  if (!isPamId(accountId) || !isPamId(userId)) return notFoundWithoutRequest();
  return sendWrite(pam, {
    method: 'DELETE',
    path: `${BASE}/accounts/${accountId}/granted_users/${userId}`,
    decode: decodeNothing,
    issues: pamIssues(Grant, '', []),
  });
}

/** `POST /api/system/safes/:safe_id/accounts` with `{account_id, listener_id}`. */
export function assignAccountToSafe(
  pam: ScopedUpstream,
  safeId: number,
  accountId: number,
  listenerId: number,
): Promise<WriteOutcome<PamAssignment>> {
  if (!isPamId(safeId)) return notFoundWithoutRequest();
  return sendWrite(pam, {
    method: 'POST',
    path: `${BASE}/safes/${safeId}/accounts`,
    body: buildBody(Assignment, { accountId, listenerId }),
    decode: decodeAssignment(safeId, { accountId, listenerId }),
    issues: pamIssues(Assignment, '', []),
  });
}

/** `DELETE /api/system/safes/:safe_id/accounts/:account_id`: every assignment of the account in the safe. */
export function removeAccountFromSafe(
  pam: ScopedUpstream,
  safeId: number,
  accountId: number,
): Promise<WriteOutcome<null>> {
  if (!isPamId(safeId) || !isPamId(accountId)) return notFoundWithoutRequest();
  return sendWrite(pam, {
    method: 'DELETE',
    path: `${BASE}/safes/${safeId}/accounts/${accountId}`,
    decode: decodeNothing,
    issues: pamIssues(Assignment, '', []),
  });
}
