/**
 * The write path, in one place. Every mutation's resolver calls one function here, which:
 *
 * 1. maps the GraphQL input onto the resource's write shape (`toWrite`: ids given as global IDs or upstream ids
 *    become the upstream's ids; fields not given stay absent, `null` stays "clear"),
 * 2. checks it against the resource's description (src/write/validate): nothing is sent when a rule breaks,
 * 3. sends it once through the upstream client (src/upstream/pam, src/upstream/audit-writes.ts; writes are
 *    never retried), whose body, error-path translation and secret redaction derive from the same description,
 * 4. settles the outcome into the value or a typed error (src/errors.ts),
 * 5. renews the request's loaders (what they cached may be stale) and primes them with the written object.
 */
import type { GatewayContext } from '../context.js';
import { rejectIssues, settle, ValidationError } from '../errors.js';
import type { Loaders } from '../loaders/index.js';
import {
  type AnyField,
  type AnyResource,
  fieldEntries,
  type ReadOf,
  type WriteOf,
} from '../resources/describe.js';
import { AuditEntry as AuditEntryResource } from '../resources/index.js';
import { encodeGlobalId } from '../schema/global-id.js';
import { auditIdArg, expectedId, pamIdArg } from '../schema/ids.js';
import type { AuditEntry } from '../upstream/audit.js';
import { createAuditEntry, deleteAuditEntry, replaceAuditEntry } from '../upstream/audit-writes.js';
import {
  accounts,
  assignAccountToSafe,
  grantAccountManagement,
  listeners,
  type PamAssignment,
  type PamCollectionClient,
  type PamRef,
  removeAccountFromSafe,
  revokeAccountManagement,
  safes,
  servers,
  users,
} from '../upstream/pam/index.js';
import type { CollectionName, ViewChange } from '../views/registry.js';
import type { WriteOutcome } from './types.js';
import { validateResource, type WriteMode } from './validate/index.js';

/** An id argument or input field: a global ID of `typename`, or the upstream's own id. */
export function pamIdAt(value: unknown, typename: string, path: string): number {
  try {
    return pamIdArg(String(value), typename);
  } catch {
    throw new ValidationError([{ path, message: expectedId(typename) }]);
  }
}

export function auditIdAt(value: unknown, path: string): string {
  try {
    return auditIdArg(String(value));
  } catch {
    throw new ValidationError([{ path, message: expectedId('AuditEntry') }]);
  }
}

type Input = Readonly<Record<string, unknown>>;

function toWriteValue(f: AnyField, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return value;
  switch (f.kind) {
    case 'id':
      return pamIdAt(value, f.of, path);
    case 'object':
      return toWrite(f.resource, value as Input, path);
    case 'list':
      return Array.isArray(value)
        ? value.map((item: Input, index) => toWrite(f.resource, item, `${path}.${index}`))
        : value;
    default:
      return value;
  }
}

/**
 * A GraphQL input as the resource's write shape. Field names are the same on both sides; only ids change form.
 * Values are otherwise passed through as given: the validation rules, not this mapping, judge them.
 */
export function toWrite<R extends AnyResource>(r: R, input: Input, at = 'input'): WriteOf<R> {
  const w: Record<string, unknown> = {};
  for (const [key, f] of fieldEntries(r)) {
    if (input[key] !== undefined) w[key] = toWriteValue(f, input[key], `${at}.${key}`);
  }
  // Only described fields were copied, each in its write form: the shape WriteOf<R> computes.
  return w as WriteOf<R>;
}

/** Checks, sends once, settles, renews the request's loaders. */
async function run<W, T>(
  ctx: GatewayContext,
  r: AnyResource,
  w: W,
  mode: WriteMode,
  send: () => Promise<WriteOutcome<T>>,
): Promise<T> {
  rejectIssues(validateResource(r, w, mode));
  const value = settle(await send(), r.noun);
  ctx.renewLoaders();
  return value;
}

/** A PAM collection that mutations write, with how a written object primes the request's loader. */
export interface PamTarget<R extends AnyResource> {
  client: PamCollectionClient<R>;
  prime(loaders: Loaders, value: ReadOf<R>): void;
  /** Its shared views (src/views). */
  collection: CollectionName;
  /** Whether writing it changes who sees what (users): then every scope's views are invalidated. */
  visibility?: boolean;
}

export const ACCOUNTS: PamTarget<typeof accounts.resource> = {
  client: accounts,
  prime: (l, v) => l.accounts.byId.prime(v.id, v),
  collection: 'accounts',
};
export const SERVERS: PamTarget<typeof servers.resource> = {
  client: servers,
  prime: (l, v) => l.servers.byId.prime(v.id, v),
  collection: 'servers',
};
export const SAFES: PamTarget<typeof safes.resource> = {
  client: safes,
  prime: (l, v) => l.safes.byId.prime(v.id, v),
  collection: 'safes',
};
export const LISTENERS: PamTarget<typeof listeners.resource> = {
  client: listeners,
  prime: (l, v) => l.listeners.byId.prime(v.id, v),
  collection: 'listeners',
};
export const USERS: PamTarget<typeof users.resource> = {
  client: users,
  prime: (l, v) => l.users.byId.prime(v.id, v),
  collection: 'users',
  visibility: true,
};

const hasPamId = (value: unknown): value is { id: number } =>
  typeof value === 'object' && value !== null && 'id' in value && typeof value.id === 'number';

/** Tells the shared views of a write: the writer's own see it at once, other scopes' are invalidated. */
function tellViews(ctx: GatewayContext, collection: CollectionName, change: ViewChange): void {
  ctx.views?.registry.afterWrite(ctx.views.pam?.scope, collection, change);
}

/** Tells the shared Audit views of a write: the writer's own view sees it at once, the others sync first. */
function tellAuditViews(ctx: GatewayContext, change: { put: AuditEntry } | { remove: string }): void {
  const credential = ctx.views?.auditCredential;
  if (credential !== undefined) ctx.views?.registry.audit.afterWrite(credential, change);
}

function shareWrite<R extends AnyResource>(
  ctx: GatewayContext,
  target: PamTarget<R>,
  change: { put: ReadOf<R> } | { remove: number },
): void {
  if (target.visibility) tellViews(ctx, target.collection, { visibility: true });
  else if ('remove' in change) tellViews(ctx, target.collection, change);
  else if (hasPamId(change.put)) tellViews(ctx, target.collection, { put: change.put });
}

function primed<R extends AnyResource>(
  ctx: GatewayContext,
  target: PamTarget<R>,
  value: ReadOf<R>,
): ReadOf<R> {
  shareWrite(ctx, target, { put: value });
  target.prime(ctx.loaders, value);
  return value;
}

/** `POST <collection>`: a whole new object. */
export async function createPam<R extends AnyResource>(
  ctx: GatewayContext,
  target: PamTarget<R>,
  input: Input,
) {
  const { resource } = target.client;
  const w = toWrite(resource, input);
  const value = await run(ctx, resource, w, 'create', () => target.client.create(ctx.pam, w));
  return primed(ctx, target, value);
}

async function changePam<R extends AnyResource>(
  ctx: GatewayContext,
  target: PamTarget<R>,
  mode: 'replace' | 'update',
  id: unknown,
  input: Input,
) {
  const { resource } = target.client;
  const pamId = pamIdAt(id, resource.name, 'id');
  const w = toWrite(resource, input);
  const send = mode === 'replace' ? target.client.replace : target.client.update;
  const value = await run(ctx, resource, w, mode, () => send(ctx.pam, pamId, w));
  return primed(ctx, target, value);
}

/** `PUT <collection>/:id`: the whole object; omitted optional fields reset to their defaults. */
export function replacePam<R extends AnyResource>(
  ctx: GatewayContext,
  target: PamTarget<R>,
  id: unknown,
  input: Input,
) {
  return changePam(ctx, target, 'replace', id, input);
}

/** `PATCH <collection>/:id`: only the fields given. */
export function updatePam<R extends AnyResource>(
  ctx: GatewayContext,
  target: PamTarget<R>,
  id: unknown,
  input: Input,
) {
  return changePam(ctx, target, 'update', id, input);
}

/** `DELETE <collection>/:id`; answers the deleted object's global ID. */
export async function deletePam<R extends AnyResource>(
  ctx: GatewayContext,
  target: PamTarget<R>,
  id: unknown,
) {
  const { resource } = target.client;
  const pamId = pamIdAt(id, resource.name, 'id');
  settle(await target.client.remove(ctx.pam, pamId), resource.noun);
  shareWrite(ctx, target, { remove: pamId });
  ctx.renewLoaders();
  return encodeGlobalId(resource.name, pamId);
}

/** Lets a user manage an account; answers the user's reference. */
export async function grantManagement(
  ctx: GatewayContext,
  accountId: unknown,
  userId: unknown,
): Promise<PamRef> {
  const account = pamIdAt(accountId, 'Account', 'accountId');
  const user = pamIdAt(userId, 'User', 'userId');
  const granted = settle(await grantAccountManagement(ctx.pam, account, user), 'account');
  tellViews(ctx, 'accounts', { visibility: true });
  ctx.renewLoaders();
  return granted;
}

/** Stops a user managing an account; answers the user's global ID. */
export async function revokeManagement(ctx: GatewayContext, accountId: unknown, userId: unknown) {
  const account = pamIdAt(accountId, 'Account', 'accountId');
  const user = pamIdAt(userId, 'User', 'userId');
  settle(await revokeAccountManagement(ctx.pam, account, user), 'account or grant');
  tellViews(ctx, 'accounts', { visibility: true });
  ctx.renewLoaders();
  return encodeGlobalId('User', user);
}

/** Exposes an account in a safe through a listener; answers the assignment and the safe as stored now. */
export async function assignToSafe(
  ctx: GatewayContext,
  safeId: unknown,
  accountId: unknown,
  listenerId: unknown,
): Promise<PamAssignment & { safe: ReadOf<typeof safes.resource> }> {
  const safe = pamIdAt(safeId, 'Safe', 'safeId');
  const account = pamIdAt(accountId, 'Account', 'accountId');
  const listener = pamIdAt(listenerId, 'Listener', 'listenerId');
  const assignment = settle(await assignAccountToSafe(ctx.pam, safe, account, listener), 'safe');
  tellViews(ctx, 'safes', { invalidate: true });
  ctx.renewLoaders();
  const stored = await ctx.loaders.safes.byId.load(safe);
  if (!stored) throw new Error('safe vanished after the assignment');
  return { ...assignment, safe: stored };
}

/** Stops a safe exposing an account through every listener; answers the account's global ID. */
export async function removeFromSafe(ctx: GatewayContext, safeId: unknown, accountId: unknown) {
  const safe = pamIdAt(safeId, 'Safe', 'safeId');
  const account = pamIdAt(accountId, 'Account', 'accountId');
  settle(await removeAccountFromSafe(ctx.pam, safe, account), 'safe or assignment');
  tellViews(ctx, 'safes', { invalidate: true });
  ctx.renewLoaders();
  return encodeGlobalId('Account', account);
}

function primedEntry(ctx: GatewayContext, entry: AuditEntry): AuditEntry {
  tellAuditViews(ctx, { put: entry });
  ctx.loaders.auditEntries.byId.prime(entry.id, entry);
  return entry;
}

/** `POST` an audit entry; `organization` must be the key's own. */
export async function createAudit(ctx: GatewayContext, input: Input): Promise<AuditEntry> {
  const w = toWrite(AuditEntryResource, input);
  return primedEntry(
    ctx,
    await run(ctx, AuditEntryResource, w, 'create', () => createAuditEntry(ctx.audit, w)),
  );
}

/** `PUT` an audit entry: omitted text fields become unset. */
export async function replaceAudit(ctx: GatewayContext, id: unknown, input: Input): Promise<AuditEntry> {
  const auditId = auditIdAt(id, 'id');
  const w = toWrite(AuditEntryResource, input);
  const send = () => replaceAuditEntry(ctx.audit, auditId, w);
  return primedEntry(ctx, await run(ctx, AuditEntryResource, w, 'replace', send));
}

/** `DELETE` an audit entry; answers its global ID. */
export async function deleteAudit(ctx: GatewayContext, id: unknown): Promise<string> {
  const auditId = auditIdAt(id, 'id');
  settle(await deleteAuditEntry(ctx.audit, auditId), AuditEntryResource.noun);
  tellAuditViews(ctx, { remove: auditId });
  ctx.renewLoaders();
  return encodeGlobalId('AuditEntry', auditId);
}
