/**
 * Accounts (docs/upstreams.md §1.2, §1.3) with their credentials and password changers. The write-only fields
 * (`secret`, `private_key`, the changers' passwords) are secrets: they have no output field, and are redacted
 * from any upstream message that repeats them.
 *
 * What the rules below cannot check needs the stored data and is left to the upstream: whether `serverId` and
 * `passwordChangePolicyId` name existing objects, and whether a patch changes the (immutable) `type`.
 */
import {
  type IssueList,
  isBlank,
  join,
  known,
  type Rules,
  type WriteMode,
} from '../write/validate/checks.js';
import { NAME, pamId } from './common.js';
import { boolean, choice, enumSpec, idOf, int, list, object, ref, resource, text } from './describe.js';

export const AccountType = enumSpec('AccountType', 'How users authenticate through an account.', {
  anonymous: 'No user authentication.',
  forward: 'The user’s own login and password are forwarded to the server.',
  regular: 'The stored credentials are substituted for the user’s.',
});

export const DumpMode = enumSpec('DumpMode', 'Session recording of an account.', {
  all: 'Record everything.',
  none: 'Record nothing.',
  raw: 'Record the raw protocol stream only.',
});

export const CredentialMethod = enumSpec(
  'CredentialMethod',
  'How the stored credentials authenticate on the server.',
  { password: 'A password.', 'ssh-key': 'An SSH private key.', account: 'Another account’s credentials.' },
);

export const PasswordChangerType = enumSpec(
  'PasswordChangerType',
  'Whether a password changer changes the secret or only verifies it.',
  {
    change: 'Changes the secret (the default).',
    verify: 'Only checks that the stored secret still works.',
  },
);

/** Names the PAM API gives to built-in password changers; 1..3 are unnamed (docs/upstreams.md §1.2). */
const CHANGER_NAMES: Readonly<Record<number, string>> = {
  4: 'PC_SSH_UNIX_MYSQL',
  5: 'PC_TELNET_CISCO',
  6: 'PC_TELNET_CISCO_ENABLE',
  7: 'PC_SSH_CISCO',
  8: 'PC_SSH_CISCO_ENABLE',
};

/** The Cisco changers, which enter privileged mode with their own password. */
const PRIVILEGED_CHANGERS: ReadonlySet<unknown> = new Set([5, 6, 7, 8]);
const SSH_FIELDS = ['sshUsername', 'sshPassword', 'sshHost', 'sshPort'] as const;

const changerRules: Rules = (list, at, c) => {
  if (c.changerId === 4) {
    for (const field of SSH_FIELDS) {
      if (isBlank(c[field])) list.addOnce(join(at, field), 'is required for changer 4');
    }
  }
  if (PRIVILEGED_CHANGERS.has(c.changerId) && isBlank(c.privilegedModePassword)) {
    list.addOnce(join(at, 'privilegedModePassword'), 'is required for changers 5 to 8');
  }
};

export const PasswordChanger = resource({
  name: 'PasswordChanger',
  noun: 'password changer',
  description: 'A password changer of an account. Its passwords are write-only and never exposed.',
  inputDescription:
    'A password changer. The list is always written whole, so its write-only passwords must be given again ' +
    'every time `passwordChangers` is sent.',
  fields: {
    changerId: int('id', {
      min: 1,
      max: 8,
      required: true,
      description: 'Which built-in changer (1..8).',
      inputDescription: 'Built-in changer (4 = PC_SSH_UNIX_MYSQL, 5..8 Cisco).',
    }),
    changerName: text('id', {
      readOnly: true,
      nullable: true,
      read: (item) => (typeof item.id === 'number' ? (CHANGER_NAMES[item.id] ?? null) : null),
      description: 'Name of the built-in changer, e.g. `PC_SSH_CISCO`; null for the unnamed ones.',
    }),
    type: choice('password_changer_type', PasswordChangerType, {
      fallback: 'change',
      description: 'Change or only verify the secret.',
      inputDescription: 'Change or only verify (default CHANGE).',
    }),
    position: int('position', {
      min: 0,
      required: true,
      scalar: 'NonNegativeInt',
      description: 'Order among the account’s changers.',
    }),
    timeout: int('timeout', {
      min: 1,
      max: 3600,
      required: true,
      scalar: 'PositiveInt',
      description: 'Timeout in seconds.',
    }),
    privilegedModePassword: text('privileged_mode_password', {
      secret: true,
      description: 'Write-only; required for changers 5..8.',
    }),
    privilegedUsername: text('privileged_username', {
      nullable: true,
      description: 'Privileged user, if any.',
      inputDescription: 'Privileged user name.',
    }),
    privilegedPassword: text('privileged_password', {
      secret: true,
      description: 'Write-only privileged password.',
    }),
    sshUsername: text('ssh_username', {
      nullable: true,
      description: 'SSH user (changer 4).',
      inputDescription: 'SSH user; required for changer 4.',
    }),
    sshPassword: text('ssh_password', {
      secret: true,
      description: 'Write-only SSH password; required for changer 4.',
    }),
    sshHost: text('ssh_host', {
      nullable: true,
      description: 'SSH host (changer 4).',
      inputDescription: 'SSH host; required for changer 4.',
    }),
    sshPort: text('ssh_port', {
      nullable: true,
      // Some versions send the port as a number; keep one representation.
      read: (item) => (typeof item.ssh_port === 'number' ? String(item.ssh_port) : undefined),
      description: 'SSH port as configured (changer 4).',
      inputDescription: 'SSH port; required for changer 4.',
    }),
  },
  rules: changerRules,
});

export const Credentials = resource({
  name: 'AccountCredentials',
  noun: 'account credentials',
  description:
    'How the account logs in to its server. The secret and private key are write-only and never exposed.',
  inputDescription:
    'Login details of an account. Sent whole by `createAccount`/`replaceAccount` (so the secret or private key ' +
    'must be given again); merged by `updateAccount` (a secret not given keeps its stored value).',
  fields: {
    login: text('login', {
      ...NAME,
      required: true,
      filter: 'exact',
      description: 'Login name on the server.',
    }),
    domain: text('domain', {
      max: 255,
      nullable: true,
      filter: 'exactCi',
      description: 'Login domain; null when none.',
    }),
    method: choice('method', CredentialMethod, {
      nullable: true,
      clearable: true,
      description: 'How the stored credentials authenticate; null for forward accounts.',
      inputDescription: 'How the credentials authenticate; required for REGULAR accounts.',
    }),
    publicKey: text('public_key', {
      readOnly: true,
      nullable: true,
      description: 'Public part derived from the private key; null when the method is not ssh-key.',
    }),
    secret: text('secret', {
      secret: true,
      max: 1024,
      description: 'Write-only password; required when method is PASSWORD. Never returned.',
    }),
    privateKey: text('private_key', {
      secret: true,
      max: 16384,
      description: 'Write-only SSH private key; required when method is SSH_KEY. Never returned.',
    }),
    passwordChangePolicyId: idOf('password_change_policy_id', 'PasswordChangePolicy', {
      nullable: true,
      clearable: true,
      description: 'Password change policy (global ID or PAM id); required for REGULAR accounts.',
    }),
    passwordChangePolicy: ref('password_change_policy', { description: 'Policy that rotates the secret.' }),
  },
});

type AccountTypeValue = keyof typeof AccountType.values;

const accountRules: Rules = (list, at, w, mode) => {
  const type = known(w.type, AccountType.values);
  checkCredentials(list, join(at, 'credentials'), w.credentials, type, mode);
  // The type is known on create and replace (required) and on a patch that gives it; else the upstream decides.
  if (w.passwordRecovery === true && type !== undefined && type !== 'regular') {
    list.add(join(at, 'passwordRecovery'), 'may be true only for regular accounts');
  }
};

/**
 * Whether credentials may, must or must not be given follows from the type; a patch without the type (it is
 * immutable, so usually left out) cannot tell, and only the credentials' own fields are checked.
 */
function checkCredentials(
  list: IssueList,
  path: string,
  value: unknown,
  type: AccountTypeValue | undefined,
  mode: WriteMode,
): void {
  if (type === 'anonymous') {
    if (!isBlank(value)) list.addOnce(path, 'must be absent or null for anonymous accounts');
    return;
  }
  // Regular and forward accounts need credentials: on a patch only clearing them is wrong.
  if (type !== undefined && (mode === 'update' ? value === null : isBlank(value))) {
    list.addOnce(path, 'is required unless type is anonymous');
    return;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
  const c = value as Readonly<Record<string, unknown>>;
  if (type === 'regular') {
    // Regular accounts need a method and a policy; a patch may keep the stored ones but not clear them.
    for (const field of ['method', 'passwordChangePolicyId'] as const) {
      const missing = mode === 'update' ? c[field] === null : isBlank(c[field]);
      if (missing) list.addOnce(join(path, field), 'is required for regular accounts');
    }
  }
  // PUT replaces credentials whole, so the secret the method needs must be sent again. PATCH merges them and
  // keeps a stored secret: there only an empty one sent with the method in the same patch is wrong.
  const method = known(c.method, CredentialMethod.values);
  const field = method === 'password' ? 'secret' : method === 'ssh-key' ? 'privateKey' : undefined;
  if (field === undefined) return;
  const missing = mode === 'update' ? c[field] === '' : isBlank(c[field]);
  if (missing) list.addOnce(join(path, field), `is required when method is ${method}`);
}

export const Account = resource({
  name: 'Account',
  noun: 'account',
  description: 'A privileged account that lives on one server and is exposed to users through safes.',
  inputDescription: 'A whole account, for `createAccount` and `replaceAccount`.',
  patchDescription: 'The fields of an account to change, for `updateAccount`; the type cannot change.',
  fields: {
    id: pamId('account'),
    name: text('name', {
      ...NAME,
      required: true,
      filter: true,
      sort: true,
      description: 'Unique account name.',
    }),
    type: choice('type', AccountType, {
      filter: true,
      required: true,
      immutable: true,
      description: 'How users authenticate through the account.',
      inputDescription: 'How users authenticate; cannot change later.',
    }),
    blocked: boolean('blocked', {
      filter: true,
      fallback: false,
      description: 'Whether the account is blocked from use.',
      inputDescription: 'Block the account.',
    }),
    serverId: idOf('server_id', 'Server', {
      required: true,
      description: 'Server the account lives on (global ID or PAM id).',
    }),
    server: ref('server', { description: 'The server the account lives on.' }),
    credentials: object('credentials', Credentials, {
      nullable: true,
      clearable: true,
      description: 'Login details; null for anonymous accounts. Secrets and private keys are never exposed.',
      inputDescription:
        'Required for REGULAR and FORWARD accounts; must be absent or null for ANONYMOUS ones.',
    }),
    dumpMode: choice('dump_mode', DumpMode, {
      fallback: 'all',
      description: 'Session recording.',
      inputDescription: 'Session recording (default ALL).',
    }),
    ocrEnabled: boolean('ocr_enabled', {
      fallback: false,
      description: 'Whether recorded sessions are OCR-processed.',
      inputDescription: 'OCR-process recorded sessions.',
    }),
    ocrLang: text('ocr_lang', { max: 64, nullable: true, description: 'OCR language(s), e.g. `eng`.' }),
    passwordLastUpdate: text('password_lastupdate', {
      readOnly: true,
      nullable: true,
      scalar: 'DateTime',
      description: 'When the secret last changed; null when never.',
    }),
    passwordChangeRequest: text('password_change_request', {
      format: 'dateTime',
      nullable: true,
      clearable: true,
      scalar: 'DateTime',
      description: 'When a password change was requested; null when none is pending.',
      inputDescription: 'ISO 8601 date-time of a requested password change, or null.',
    }),
    passwordCheckoutTimeLimit: text('password_checkout_time_limit', {
      format: 'duration',
      nullable: true,
      clearable: true,
      scalar: 'ClockDuration',
      description: 'How long a checked-out secret stays valid; null when unlimited.',
      inputDescription: 'Checkout duration `hh:mm:ss`, or null.',
    }),
    passwordRecovery: boolean('password_recovery', {
      fallback: false,
      description:
        'Whether a password verifier triggers a password changer automatically (regular accounts).',
      inputDescription: 'Trigger a password changer automatically (REGULAR accounts only).',
    }),
    retention: int('retention', {
      min: 1,
      max: 2147483647,
      nullable: true,
      clearable: true,
      scalar: 'PositiveInt',
      description: 'Days before session data is deleted; null when kept.',
    }),
    passwordChangers: list('accountpasswordchanger_set', PasswordChanger, {
      orderBy: 'position',
      description: 'Password changers configured on the account, by position.',
      inputDescription: 'The whole list of password changers; its passwords must be given again each time.',
    }),
  },
  rules: accountRules,
});
