/**
 * The PAM collections (docs/upstreams.md §1.1–§1.9), each a resource description (src/resources) at a path.
 * Reads: list a page (GET ?page&page_size), get one (GET /:id, null on 404). Writes: create (POST 201), replace
 * (PUT 200), update (PATCH 200) and delete (DELETE 204), each answering a `WriteOutcome`; statuses other than
 * 2xx/400/403/404 throw the stable `GatewayError`. Bodies, error paths and secrets derive from the description.
 */

import type { AnyResource } from '../../resources/describe.js';
import {
  Account,
  Listener,
  Policy,
  type ReadOf,
  Safe,
  Server,
  User,
  type WriteOf,
} from '../../resources/index.js';
import type { InputIssue, WriteOutcome } from '../../write/types.js';
import { buildBody, secretsOf } from '../body.js';
import { decodeResource } from '../decode.js';
import type { ScopedUpstream } from '../scope.js';
import {
  decodeNothing,
  notFoundWithoutRequest,
  readFieldMessages,
  sendWrite,
  toIssues,
} from '../write-outcome.js';
import { getOne, listPage, type PamPage, pamDecoder } from './common.js';

export type PamAccount = ReadOf<typeof Account>;
export type PamCredentials = NonNullable<PamAccount['credentials']>;
export type PamPasswordChanger = PamAccount['passwordChangers'][number];
export type PamServer = ReadOf<typeof Server>;
export type PamSafe = ReadOf<typeof Safe>;
export type PamListener = ReadOf<typeof Listener>;
export type PamUser = ReadOf<typeof User>;
export type PamPolicy = ReadOf<typeof Policy>;

/** Path ids are positive integers (docs/upstreams.md §1.1); anything else names nothing and must not shape a path. */
export const isPamId = (id: number): boolean => Number.isSafeInteger(id) && id >= 1;

/** A PAM ValidationErrors body (field path → messages) as input issues under `root`, secrets redacted. */
export function pamIssues(resource: AnyResource, root: string, secrets: readonly string[]) {
  return (body: unknown): InputIssue[] => toIssues(readFieldMessages(body), { resource, root, secrets });
}

export interface PamCollectionClient<R extends AnyResource> {
  readonly resource: R;
  readonly path: string;
  decode(value: unknown): ReadOf<R>;
  list(pam: ScopedUpstream, page: PamPage): Promise<ReadOf<R>[]>;
  /** Null when absent or invisible to the caller (404). */
  get(pam: ScopedUpstream, id: number): Promise<ReadOf<R> | null>;
  create(pam: ScopedUpstream, w: WriteOf<R>): Promise<WriteOutcome<ReadOf<R>>>;
  /** PUT: omitted optional fields reset to their defaults; nested objects are replaced whole. */
  replace(pam: ScopedUpstream, id: number, w: WriteOf<R>): Promise<WriteOutcome<ReadOf<R>>>;
  /** PATCH: omitted fields keep their values; nested objects are merged. */
  update(pam: ScopedUpstream, id: number, w: WriteOf<R>): Promise<WriteOutcome<ReadOf<R>>>;
  remove(pam: ScopedUpstream, id: number): Promise<WriteOutcome<null>>;
}

function collection<R extends AnyResource>(resource: R, path: string): PamCollectionClient<R> {
  const decode = (value: unknown) => decodeResource(pamDecoder, resource, value);
  const send = (pam: ScopedUpstream, method: 'POST' | 'PUT' | 'PATCH', at: string, w: WriteOf<R>) =>
    sendWrite(pam, {
      method,
      path: at,
      body: buildBody(resource, w),
      decode,
      issues: pamIssues(resource, 'input', secretsOf(resource, w)),
    });
  return {
    resource,
    path,
    decode,
    list: (pam, page) => listPage(pam, path, page, decode, resource.noun),
    get: (pam, id) => getOne(pam, path, id, decode),
    create: (pam, w) => send(pam, 'POST', path, w),
    replace: (pam, id, w) => (isPamId(id) ? send(pam, 'PUT', `${path}/${id}`, w) : notFoundWithoutRequest()),
    update: (pam, id, w) => (isPamId(id) ? send(pam, 'PATCH', `${path}/${id}`, w) : notFoundWithoutRequest()),
    remove: (pam, id) => {
      if (!isPamId(id)) return notFoundWithoutRequest();
      // A delete has no input argument: its 400 (e.g. "server still in use") is about the whole call.
      const issues = pamIssues(resource, '', []);
      return sendWrite(pam, { method: 'DELETE', path: `${path}/${id}`, decode: decodeNothing, issues });
    },
  };
}

const BASE = '/api/system';

export const accounts = collection(Account, `${BASE}/accounts`);
/** Deleting a server that accounts use is a 400 at path `''`. */
export const servers = collection(Server, `${BASE}/servers`);
/** Deleting a safe deletes its assignments. */
export const safes = collection(Safe, `${BASE}/safes`);
/** Deleting a listener that assignments use is a 400 at path `''`. */
export const listeners = collection(Listener, `${BASE}/listeners`);
/** Deleting a user removes it from every granted_users list. */
export const users = collection(User, `${BASE}/users`);
/** Read-only upstream: only `list` and `get` are ever called. */
export const policies = collection(Policy, `${BASE}/password_change_policies`);
