/**
 * Accounts (docs/upstreams.md §1.2) with their credentials and password changers: every rule that needs no other
 * object. Whether `serverId` and `passwordChangePolicyId` name existing objects, and whether `type` changes on
 * PUT/PATCH (it is immutable), need the stored data and are left to the upstream.
 */
import type { AccountWrite, CredentialsWrite, InputIssue, PasswordChangerWrite } from '../types.js';
import {
  checkBoolean,
  checkEnum,
  checkFormat,
  checkInteger,
  checkObject,
  checkString,
  type IssueList,
  isBlank,
  join,
  known,
  type WriteMode,
} from './checks.js';
import { isDateTime, isDuration } from './formats.js';
import { NAME, validateWith } from './resources.js';

type AccountType = NonNullable<AccountWrite['type']>;

const ACCOUNT_TYPES: Readonly<Record<AccountType, true>> = { anonymous: true, forward: true, regular: true };
const DUMP_MODES: Readonly<Record<NonNullable<AccountWrite['dumpMode']>, true>> = {
  all: true,
  none: true,
  raw: true,
};
const METHODS: Readonly<Record<NonNullable<CredentialsWrite['method']>, true>> = {
  password: true,
  'ssh-key': true,
  account: true,
};
const CHANGER_TYPES: Readonly<Record<NonNullable<PasswordChangerWrite['type']>, true>> = {
  change: true,
  verify: true,
};
/** IDs are positive integers (docs/upstreams.md §1.1); whether one exists is the upstream's to say. */
const ID = { min: 1 };
/** The Cisco changers, which enter privileged mode with their own password. */
const PRIVILEGED_CHANGERS: ReadonlySet<unknown> = new Set([5, 6, 7, 8]);
const SSH_FIELDS = ['sshUsername', 'sshPassword', 'sshHost', 'sshPort'] as const;
const CHANGER_STRINGS = ['privilegedModePassword', 'privilegedUsername', 'privilegedPassword', ...SSH_FIELDS];

export function validateAccount(input: AccountWrite, mode: WriteMode, at = 'input'): InputIssue[] {
  return validateWith(input, at, (list, w) => {
    const required = mode !== 'update';
    checkString(list, join(at, 'name'), w.name, { ...NAME, required });
    checkEnum(list, join(at, 'type'), w.type, ACCOUNT_TYPES, { required });
    checkBoolean(list, join(at, 'blocked'), w.blocked);
    checkInteger(list, join(at, 'serverId'), w.serverId, { ...ID, required });
    const type = known(w.type, ACCOUNT_TYPES);
    checkCredentials(list, join(at, 'credentials'), w.credentials, type, mode);
    checkEnum(list, join(at, 'dumpMode'), w.dumpMode, DUMP_MODES);
    checkBoolean(list, join(at, 'ocrEnabled'), w.ocrEnabled);
    checkString(list, join(at, 'ocrLang'), w.ocrLang, { max: 64 });
    const timestamp = 'an ISO 8601 date-time with a time zone offset';
    checkFormat(list, join(at, 'passwordChangeRequest'), w.passwordChangeRequest, isDateTime, timestamp, {
      nullable: true,
    });
    const duration = 'a duration in the form hh:mm:ss';
    checkFormat(
      list,
      join(at, 'passwordCheckoutTimeLimit'),
      w.passwordCheckoutTimeLimit,
      isDuration,
      duration,
      {
        nullable: true,
      },
    );
    checkBoolean(list, join(at, 'passwordRecovery'), w.passwordRecovery);
    // The type is known on create and replace (required) and on a patch that gives it; else the upstream decides.
    if (w.passwordRecovery === true && type !== undefined && type !== 'regular') {
      list.add(join(at, 'passwordRecovery'), 'may be true only for regular accounts');
    }
    checkInteger(list, join(at, 'retention'), w.retention, { min: 1, max: 2147483647, nullable: true });
    checkChangers(list, join(at, 'passwordChangers'), w.passwordChangers);
  });
}

/**
 * Whether credentials may, must or must not be given follows from the type; a patch without the type (it is
 * immutable, so usually left out) cannot tell, and only the credentials' own fields are checked.
 */
function checkCredentials(
  list: IssueList,
  path: string,
  value: unknown,
  type: AccountType | undefined,
  mode: WriteMode,
): void {
  if (type === 'anonymous') {
    if (!isBlank(value)) list.add(path, 'must be absent or null for anonymous accounts');
    return;
  }
  // Regular and forward accounts need credentials: on a patch only clearing them is wrong.
  if (type !== undefined && (mode === 'update' ? value === null : isBlank(value))) {
    list.add(path, 'is required unless type is anonymous');
    return;
  }
  const credentials = checkObject(list, path, value, { nullable: true });
  if (credentials === undefined) return;
  checkCredentialFields(list, path, credentials, mode);
  if (type === 'regular') checkRegularCredentials(list, path, credentials, mode);
  checkSecretForMethod(list, path, credentials, mode);
}

function checkCredentialFields(
  list: IssueList,
  path: string,
  c: Record<string, unknown>,
  mode: WriteMode,
): void {
  checkString(list, join(path, 'domain'), c.domain, { max: 255 });
  // A patch merges credentials, so a login left out keeps the stored one.
  checkString(list, join(path, 'login'), c.login, { ...NAME, required: mode !== 'update' });
  checkEnum(list, join(path, 'method'), c.method, METHODS, { nullable: true });
  checkString(list, join(path, 'secret'), c.secret, { max: 1024 });
  checkString(list, join(path, 'privateKey'), c.privateKey, { max: 16384 });
  checkInteger(list, join(path, 'passwordChangePolicyId'), c.passwordChangePolicyId, {
    ...ID,
    nullable: true,
  });
}

/** Regular accounts need a method and a policy; a patch may keep the stored ones but not clear them. */
function checkRegularCredentials(
  list: IssueList,
  path: string,
  c: Record<string, unknown>,
  mode: WriteMode,
): void {
  for (const field of ['method', 'passwordChangePolicyId'] as const) {
    const missing = mode === 'update' ? c[field] === null : isBlank(c[field]);
    if (missing) list.addOnce(join(path, field), 'is required for regular accounts');
  }
}

/**
 * PUT replaces credentials whole, so the secret the method needs must be sent again. PATCH merges them and
 * keeps a stored secret: there only an empty one sent with the method in the same patch is wrong.
 */
function checkSecretForMethod(
  list: IssueList,
  path: string,
  c: Record<string, unknown>,
  mode: WriteMode,
): void {
  const method = known(c.method, METHODS);
  const field = method === 'password' ? 'secret' : method === 'ssh-key' ? 'privateKey' : undefined;
  if (field === undefined) return;
  const missing = mode === 'update' ? c[field] === '' : isBlank(c[field]);
  if (missing) list.addOnce(join(path, field), `is required when method is ${method}`);
}

/** The list is always written whole (by PATCH too), so every item is checked as on create. */
function checkChangers(list: IssueList, path: string, value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    list.add(path, value === null ? 'must not be null' : 'must be a list');
    return;
  }
  value.forEach((item: unknown, index) => {
    const changer = checkObject(list, join(path, index), item, { required: true });
    if (changer !== undefined) checkChanger(list, join(path, index), changer);
  });
}

function checkChanger(list: IssueList, path: string, c: Record<string, unknown>): void {
  checkInteger(list, join(path, 'changerId'), c.changerId, { min: 1, max: 8, required: true });
  checkEnum(list, join(path, 'type'), c.type, CHANGER_TYPES);
  checkInteger(list, join(path, 'position'), c.position, { min: 0, required: true });
  checkInteger(list, join(path, 'timeout'), c.timeout, { min: 1, max: 3600, required: true });
  for (const field of CHANGER_STRINGS) checkString(list, join(path, field), c[field]);
  if (c.changerId === 4) {
    for (const field of SSH_FIELDS) {
      if (isBlank(c[field])) list.addOnce(join(path, field), 'is required for changer 4');
    }
  }
  if (PRIVILEGED_CHANGERS.has(c.changerId) && isBlank(c.privilegedModePassword)) {
    list.addOnce(join(path, 'privilegedModePassword'), 'is required for changers 5 to 8');
  }
}
