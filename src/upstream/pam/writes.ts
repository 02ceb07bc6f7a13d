/**
 * PAM write calls (docs/upstreams.md §1.1–§1.8): create (POST 201), replace (PUT 200), update (PATCH 200) and
 * delete (DELETE 204) of every mutable collection, plus granted users (§1.3) and safe assignments (§1.4).
 * Each answers a `WriteOutcome`; statuses other than 2xx/400/403/404 throw the stable `GatewayError`.
 */
import type {
  AccountWrite,
  InputIssue,
  ListenerWrite,
  SafeWrite,
  ServerWrite,
  UserWrite,
  WriteOutcome,
} from '../../write/types.js';
import type { JsonObject } from '../decode.js';
import type { ScopedUpstream } from '../scope.js';
import {
  type BodyShape,
  decodeNothing,
  notFoundWithoutRequest,
  readFieldMessages,
  sendWrite,
  toIssues,
} from '../write-outcome.js';
import { decodeAccount, type PamAccount } from './accounts.js';
import {
  ACCOUNT_SHAPE,
  ASSIGNMENT_SHAPE,
  accountBody,
  accountSecrets,
  GRANT_SHAPE,
  LISTENER_SHAPE,
  listenerBody,
  noSecrets,
  SAFE_SHAPE,
  SERVER_SHAPE,
  safeBody,
  serverBody,
  USER_SHAPE,
  userBody,
  userSecrets,
} from './body-writes.js';
import { type PamRef, pamDecoder } from './common.js';
import { decodeListener, type PamListener } from './listeners.js';
import { decodeAssignment, decodeSafe, type PamAssignment, type PamSafe } from './safes.js';
import { decodeServer, type PamServer } from './servers.js';
import { decodeUser, type PamUser } from './users.js';

export * from './body-writes.js';

export type CreateCall<W, T> = (pam: ScopedUpstream, w: W) => Promise<WriteOutcome<T>>;
export type ChangeCall<W, T> = (pam: ScopedUpstream, id: number, w: W) => Promise<WriteOutcome<T>>;
export type DeleteCall = (pam: ScopedUpstream, id: number) => Promise<WriteOutcome<null>>;

const BASE = '/api/system';

/** Path ids are positive integers (docs/upstreams.md §1.1); anything else names nothing and must not shape a path. */
const isPamId = (id: number): boolean => Number.isSafeInteger(id) && id >= 1;

/** A PAM ValidationErrors body (field path → messages) as input issues under `root`. */
function pamIssues(shape: BodyShape, root: string, secrets: readonly string[]) {
  return (body: unknown): InputIssue[] => toIssues(readFieldMessages(body), { shape, root, secrets });
}

interface Collection<W, T> {
  path: string;
  shape: BodyShape;
  body(w: W): JsonObject;
  secrets(w: W): string[];
  decode(value: unknown): T;
}

function bodyWrite<W, T>(c: Collection<W, T>, pam: ScopedUpstream, method: 'POST' | 'PUT' | 'PATCH') {
  return (path: string, w: W): Promise<WriteOutcome<T>> =>
    sendWrite(pam, {
      method,
      path,
      body: c.body(w),
      decode: c.decode,
      issues: pamIssues(c.shape, 'input', c.secrets(w)),
    });
}

/** The four writes of one collection, sharing its path, body builder, secrets and decoder. */
function collectionWrites<W, T>(c: Collection<W, T>) {
  const change =
    (method: 'PUT' | 'PATCH'): ChangeCall<W, T> =>
    (pam, id, w) =>
      isPamId(id) ? bodyWrite(c, pam, method)(`${c.path}/${id}`, w) : notFoundWithoutRequest();
  const create: CreateCall<W, T> = (pam, w) => bodyWrite(c, pam, 'POST')(c.path, w);
  const remove: DeleteCall = (pam, id) => {
    if (!isPamId(id)) return notFoundWithoutRequest();
    // A delete has no input argument: its 400 (e.g. "server still in use") is about the whole call.
    const issues = pamIssues(c.shape, '', []);
    return sendWrite(pam, { method: 'DELETE', path: `${c.path}/${id}`, decode: decodeNothing, issues });
  };
  return { create, replace: change('PUT'), update: change('PATCH'), remove };
}

const accounts = collectionWrites<AccountWrite, PamAccount>({
  path: `${BASE}/accounts`,
  shape: ACCOUNT_SHAPE,
  body: accountBody,
  secrets: accountSecrets,
  decode: decodeAccount,
});
const servers = collectionWrites<ServerWrite, PamServer>({
  path: `${BASE}/servers`,
  shape: SERVER_SHAPE,
  body: serverBody,
  secrets: noSecrets,
  decode: decodeServer,
});
const safes = collectionWrites<SafeWrite, PamSafe>({
  path: `${BASE}/safes`,
  shape: SAFE_SHAPE,
  body: safeBody,
  secrets: noSecrets,
  decode: decodeSafe,
});
const listeners = collectionWrites<ListenerWrite, PamListener>({
  path: `${BASE}/listeners`,
  shape: LISTENER_SHAPE,
  body: listenerBody,
  secrets: noSecrets,
  decode: decodeListener,
});
const users = collectionWrites<UserWrite, PamUser>({
  path: `${BASE}/users`,
  shape: USER_SHAPE,
  body: userBody,
  secrets: userSecrets,
  decode: decodeUser,
});

/** `POST /api/system/accounts` */
export const createAccount: CreateCall<AccountWrite, PamAccount> = accounts.create;
/** `PUT /api/system/accounts/:id`: omitted optional fields reset; credentials are replaced whole. */
export const replaceAccount: ChangeCall<AccountWrite, PamAccount> = accounts.replace;
/** `PATCH /api/system/accounts/:id`: omitted fields keep their values; credentials are merged. */
export const updateAccount: ChangeCall<AccountWrite, PamAccount> = accounts.update;
/** `DELETE /api/system/accounts/:id` */
export const deleteAccount: DeleteCall = accounts.remove;

/** `POST /api/system/servers` */
export const createServer: CreateCall<ServerWrite, PamServer> = servers.create;
/** `PUT /api/system/servers/:id` */
export const replaceServer: ChangeCall<ServerWrite, PamServer> = servers.replace;
/** `PATCH /api/system/servers/:id` */
export const updateServer: ChangeCall<ServerWrite, PamServer> = servers.update;
/** `DELETE /api/system/servers/:id`; a server that accounts use is a 400 at path `''`. */
export const deleteServer: DeleteCall = servers.remove;

/** `POST /api/system/safes` */
export const createSafe: CreateCall<SafeWrite, PamSafe> = safes.create;
/** `PUT /api/system/safes/:id` */
export const replaceSafe: ChangeCall<SafeWrite, PamSafe> = safes.replace;
/** `PATCH /api/system/safes/:id` */
export const updateSafe: ChangeCall<SafeWrite, PamSafe> = safes.update;
/** `DELETE /api/system/safes/:id` (its assignments go with it). */
export const deleteSafe: DeleteCall = safes.remove;

/** `POST /api/system/listeners` */
export const createListener: CreateCall<ListenerWrite, PamListener> = listeners.create;
/** `PUT /api/system/listeners/:id` */
export const replaceListener: ChangeCall<ListenerWrite, PamListener> = listeners.replace;
/** `PATCH /api/system/listeners/:id` */
export const updateListener: ChangeCall<ListenerWrite, PamListener> = listeners.update;
/** `DELETE /api/system/listeners/:id`; a listener that assignments use is a 400 at path `''`. */
export const deleteListener: DeleteCall = listeners.remove;

/** `POST /api/system/users` */
export const createUser: CreateCall<UserWrite, PamUser> = users.create;
/** `PUT /api/system/users/:id` */
export const replaceUser: ChangeCall<UserWrite, PamUser> = users.replace;
/** `PATCH /api/system/users/:id` */
export const updateUser: ChangeCall<UserWrite, PamUser> = users.update;
/** `DELETE /api/system/users/:id` (the user leaves every granted_users list). */
export const deleteUser: DeleteCall = users.remove;

function decodeGrant(value: unknown): PamRef {
  const ref = pamDecoder.ref(value, 'granted user');
  if (!ref) pamDecoder.fail('a malformed granted user');
  return ref;
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
    body: { user_id: userId },
    decode: decodeGrant,
    issues: pamIssues(GRANT_SHAPE, '', []),
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
    issues: pamIssues(GRANT_SHAPE, '', []),
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
    body: { account_id: accountId, listener_id: listenerId },
    decode: decodeAssignment(safeId, { accountId, listenerId }),
    issues: pamIssues(ASSIGNMENT_SHAPE, '', []),
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
    issues: pamIssues(ASSIGNMENT_SHAPE, '', []),
  });
}
