/** docs/upstreams.md §1.2 accounts. Operators see only the accounts they were granted (§1.1). */
import { canSeeAccount } from './auth.js';
import { changerInput, parseChangers, serializeChanger } from './changers.js';
import { compact, ref } from './common.js';
import { credentialsInput, parseCredentials, serializeCredentials } from './credentials.js';
import type { Resource } from './crud.js';
import type { FieldReader } from './reader.js';
import type { PamState } from './store.js';
import { formatTimestamp } from './time.js';
import { ACCOUNT_TYPES, type Account, type Credentials, DUMP_MODES } from './types.js';

function readServerId(state: PamState, r: FieldReader): number {
  const id = r.integer('server_id', { required: true }) ?? 0;
  if (r.has('server_id') && !r.errors.has('server_id') && !state.servers.get(id)) {
    r.fail('server_id', `Invalid pk "${id}" - object does not exist.`);
  }
  return id;
}

/** `password_lastupdate` moves only when a secret (password or private key) is set to a new value. */
function lastUpdate(state: PamState, existing: Account | undefined, credentials: Credentials | null) {
  const before = existing?.credentials;
  const secretChanged = credentials?.secret != null && credentials.secret !== before?.secret;
  const keyChanged = credentials?.privateKey != null && credentials.privateKey !== before?.privateKey;
  if (secretChanged || keyChanged) return formatTimestamp(state.now());
  return existing?.passwordLastUpdate ?? null;
}

function parseAccount(state: PamState, r: FieldReader, existing: Account | undefined): Omit<Account, 'id'> {
  const type = r.choice('type', ACCOUNT_TYPES, { required: true }) ?? undefined;
  const credentials = parseCredentials(state, r, type);
  const passwordRecovery = r.boolean('password_recovery') ?? false;
  if (passwordRecovery && type && type !== 'regular') {
    r.fail('password_recovery', 'Password recovery is available only for regular accounts.');
  }
  return {
    name: r.string('name', { required: true, min: 1, max: 255 }) ?? '',
    type: type ?? 'regular',
    blocked: r.boolean('blocked') ?? false,
    serverId: readServerId(state, r),
    credentials,
    dumpMode: r.choice('dump_mode', DUMP_MODES) ?? 'all',
    ocrEnabled: r.boolean('ocr_enabled') ?? false,
    ocrLang: r.string('ocr_lang', { max: 64 }) ?? '',
    passwordLastUpdate: lastUpdate(state, existing, credentials),
    passwordChangeRequest:
      r.string('password_change_request', { nullable: true, format: 'timestamp' }) ?? null,
    passwordCheckoutTimeLimit:
      r.string('password_checkout_time_limit', { nullable: true, format: 'time' }) ?? null,
    passwordRecovery,
    retention: r.integer('retention', { nullable: true, min: 1, max: 2147483647 }) ?? null,
    changers: parseChangers(r),
  };
}

export function serializeAccount(state: PamState, account: Account) {
  return {
    id: account.id,
    name: account.name,
    type: account.type,
    blocked: account.blocked,
    server_id: account.serverId,
    server: ref(state.servers.get(account.serverId)),
    credentials: account.credentials ? serializeCredentials(state, account.credentials) : null,
    dump_mode: account.dumpMode,
    ocr_enabled: account.ocrEnabled,
    ocr_lang: account.ocrLang,
    password_lastupdate: account.passwordLastUpdate,
    password_change_request: account.passwordChangeRequest,
    password_checkout_time_limit: account.passwordCheckoutTimeLimit,
    password_recovery: account.passwordRecovery,
    retention: account.retention,
    accountpasswordchanger_set: account.changers.map(serializeChanger),
  };
}

function accountInput(account: Account) {
  return compact({
    ...writableFields(account),
    credentials: account.credentials ? credentialsInput(account.credentials) : null,
    accountpasswordchanger_set: account.changers.map(changerInput),
  });
}

function writableFields(account: Account) {
  return {
    name: account.name,
    type: account.type,
    blocked: account.blocked,
    server_id: account.serverId,
    dump_mode: account.dumpMode,
    ocr_enabled: account.ocrEnabled,
    ocr_lang: account.ocrLang,
    password_change_request: account.passwordChangeRequest,
    password_checkout_time_limit: account.passwordCheckoutTimeLimit,
    password_recovery: account.passwordRecovery,
    retention: account.retention,
  };
}

/** Deleting an account takes its grants and safe assignments with it, so nothing points at a missing id. */
function forgetAccount(state: PamState, account: Account): void {
  state.grants.delete(account.id);
  for (const bySafe of state.assignments.values()) {
    for (const [key, assignment] of bySafe) if (assignment.accountId === account.id) bySafe.delete(key);
  }
}

export const accounts: Resource<Account> = {
  table: (state) => state.accounts,
  article: 'An account',
  immutable: ['type'],
  mergeNested: ['credentials'],
  parse: parseAccount,
  toInput: accountInput,
  serialize: serializeAccount,
  visible: (ctx, account) => canSeeAccount(ctx.state, ctx.user, account),
  afterDelete: forgetAccount,
};
