/**
 * The write path's shared vocabulary. GraphQL mutation inputs are mapped onto these camelCase DTOs; the
 * validation rules (`validate/`) check them before anything reaches an upstream; the upstream write clients
 * (`src/upstream/pam/writes.ts`, `src/upstream/audit-writes.ts`) turn them into the contract's snake_case bodies
 * and turn the upstream's answer into a `WriteOutcome`.
 *
 * Optional (`?`) means "not given": on create and replace (PUT) the upstream applies its default; on update
 * (PATCH) the field is left unchanged. `null` means "clear it" where the contract allows null.
 * Secrets are write-only: they travel in these DTOs to the upstream and nowhere else (never logged).
 */

export type Protocol =
  | 'http'
  | 'modbus'
  | 'mysql'
  | 'rdp'
  | 'ssh'
  | 'system'
  | 'tcp'
  | 'tds'
  | 'telnet'
  | 'tn3270'
  | 'tn5250'
  | 'vnc';

export interface CredentialsWrite {
  domain?: string;
  login: string;
  method?: 'password' | 'ssh-key' | 'account' | null;
  /** Write-only. */
  secret?: string;
  /** Write-only. */
  privateKey?: string;
  passwordChangePolicyId?: number | null;
}

export interface PasswordChangerWrite {
  /** 1..8; 4 = PC_SSH_UNIX_MYSQL, 5..8 the Cisco changers. */
  changerId: number;
  type?: 'change' | 'verify';
  position: number;
  timeout: number;
  /** Write-only; required for changers 5..8. */
  privilegedModePassword?: string;
  privilegedUsername?: string;
  /** Write-only. */
  privilegedPassword?: string;
  sshUsername?: string;
  /** Write-only; required (with the other ssh fields) for changer 4. */
  sshPassword?: string;
  sshHost?: string;
  sshPort?: string;
}

export interface AccountWrite {
  name?: string;
  type?: 'anonymous' | 'forward' | 'regular';
  blocked?: boolean;
  serverId?: number;
  credentials?: CredentialsWrite | null;
  dumpMode?: 'all' | 'none' | 'raw';
  ocrEnabled?: boolean;
  ocrLang?: string;
  /** ISO 8601 timestamp. */
  passwordChangeRequest?: string | null;
  /** `hh:mm:ss`. */
  passwordCheckoutTimeLimit?: string | null;
  passwordRecovery?: boolean;
  retention?: number | null;
  /** Always written whole (its passwords must be given again). */
  passwordChangers?: PasswordChangerWrite[];
}

export interface ServerWrite {
  name?: string;
  description?: string;
  address?: string;
  mask?: number | null;
  port?: number;
  protocol?: Protocol;
  bindIp?: string | null;
  blocked?: boolean;
  reason?: string | null;
}

export interface SafeWrite {
  name?: string;
  blocked?: boolean;
  reason?: string | null;
  loginReason?: boolean;
  requireConfirmation?: boolean;
  requiredVotes?: number;
  webclient?: boolean;
  inactivityLimit?: number;
  timeLimit?: number;
  noteAccess?: 'none' | 'read' | 'write';
}

export interface ListenerWrite {
  name?: string;
  protocol?: Protocol;
  mode?: 'bastion' | 'gateway' | 'proxy' | 'transparent';
  listenIp?: string;
  listenPort?: number | null;
  externalAddress?: string | null;
  externalPort?: number | null;
  blocked?: boolean;
  reason?: string | null;
}

export interface UserWrite {
  name?: string;
  role?: 'superadmin' | 'admin' | 'operator' | 'service' | 'user';
  fullName?: string | null;
  email?: string | null;
  /** Write-only. */
  password?: string;
  blocked?: boolean;
  reason?: string | null;
}

/** The writable fields of an audit entry (docs/upstreams.md §2.3); `""` means unset upstream. */
export interface AuditEntryWrite {
  organization: string;
  jobId?: string;
  ciId?: string;
  jobIterationId?: string;
  ipAddress?: string;
  deviceAccount?: string;
  /** Write-only here (the upstream returns it, the gateway drops it). */
  devicePassword?: string;
  /** Write-only here. */
  enablePassword?: string;
  connectionProtocol?: string;
  error?: string;
  taskOwner?: string;
  clientIp?: string;
  jobType?: string;
  jobName?: string;
  processName?: string;
  connectionFor?: string;
  /** ISO 8601 timestamp. */
  lastUpdateTime?: string;
  configType?: string;
  uofw?: string;
}

/** One problem with a write, located by the path of the GraphQL input it concerns. */
export interface InputIssue {
  /** Dotted path from the mutation argument, e.g. `input.credentials.secret`, `input.passwordChangers.0.timeout`. */
  path: string;
  message: string;
}

/** What an upstream answered to a write, without any of its text that is not safe to show. */
export type WriteOutcome<T> =
  | { kind: 'ok'; value: T }
  /** 400: the upstream's field errors, paths already translated to input paths (see InputIssue). */
  | { kind: 'invalid'; issues: InputIssue[] }
  | { kind: 'not_found' }
  | { kind: 'forbidden' };
