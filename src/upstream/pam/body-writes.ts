/**
 * PAM write bodies (docs/upstreams.md §1.2–§1.8): one table per write DTO, DTO field → upstream field. The tables
 * are checked against the DTOs at compile time (every field mapped, none invented), and the same tables
 * translate a 400's field paths back to input paths, so a renamed field cannot break only one direction.
 */
import type {
  AccountWrite,
  CredentialsWrite,
  ListenerWrite,
  PasswordChangerWrite,
  SafeWrite,
  ServerWrite,
  UserWrite,
} from '../../write/types.js';
import type { JsonObject } from '../decode.js';
import { type BodyShape, buildBody, presentSecrets } from '../write-outcome.js';

/** Every field of the DTO `W`, each with its upstream name. */
type Names<W> = { readonly [K in keyof W]-?: string };

const CREDENTIALS_NAMES = {
  domain: 'domain',
  login: 'login',
  method: 'method',
  secret: 'secret',
  privateKey: 'private_key',
  passwordChangePolicyId: 'password_change_policy_id',
} as const satisfies Names<CredentialsWrite>;

const PASSWORD_CHANGER_NAMES = {
  changerId: 'id',
  type: 'password_changer_type',
  position: 'position',
  timeout: 'timeout',
  privilegedModePassword: 'privileged_mode_password',
  privilegedUsername: 'privileged_username',
  privilegedPassword: 'privileged_password',
  sshUsername: 'ssh_username',
  sshPassword: 'ssh_password',
  sshHost: 'ssh_host',
  sshPort: 'ssh_port',
} as const satisfies Names<PasswordChangerWrite>;

const ACCOUNT_NAMES = {
  name: 'name',
  type: 'type',
  blocked: 'blocked',
  serverId: 'server_id',
  credentials: 'credentials',
  dumpMode: 'dump_mode',
  ocrEnabled: 'ocr_enabled',
  ocrLang: 'ocr_lang',
  passwordChangeRequest: 'password_change_request',
  passwordCheckoutTimeLimit: 'password_checkout_time_limit',
  passwordRecovery: 'password_recovery',
  retention: 'retention',
  passwordChangers: 'accountpasswordchanger_set',
} as const satisfies Names<AccountWrite>;

const SERVER_NAMES = {
  name: 'name',
  description: 'description',
  address: 'address',
  mask: 'mask',
  port: 'port',
  protocol: 'protocol',
  bindIp: 'bind_ip',
  blocked: 'blocked',
  reason: 'reason',
} as const satisfies Names<ServerWrite>;

const SAFE_NAMES = {
  name: 'name',
  blocked: 'blocked',
  reason: 'reason',
  loginReason: 'login_reason',
  requireConfirmation: 'require_confirmation',
  requiredVotes: 'required_votes',
  webclient: 'webclient',
  inactivityLimit: 'inactivity_limit',
  timeLimit: 'time_limit',
  noteAccess: 'note_access',
} as const satisfies Names<SafeWrite>;

const LISTENER_NAMES = {
  name: 'name',
  protocol: 'protocol',
  mode: 'mode',
  listenIp: 'listen_ip',
  listenPort: 'listen_port',
  externalAddress: 'external_address',
  externalPort: 'external_port',
  blocked: 'blocked',
  reason: 'reason',
} as const satisfies Names<ListenerWrite>;

const USER_NAMES = {
  name: 'name',
  role: 'role',
  fullName: 'full_name',
  email: 'email',
  password: 'password',
  blocked: 'blocked',
  reason: 'reason',
} as const satisfies Names<UserWrite>;

export const CREDENTIALS_SHAPE: BodyShape = { names: CREDENTIALS_NAMES };
export const PASSWORD_CHANGER_SHAPE: BodyShape = { names: PASSWORD_CHANGER_NAMES };
export const ACCOUNT_SHAPE: BodyShape = {
  names: ACCOUNT_NAMES,
  nested: { credentials: CREDENTIALS_SHAPE, passwordChangers: PASSWORD_CHANGER_SHAPE },
};
export const SERVER_SHAPE: BodyShape = { names: SERVER_NAMES };
export const SAFE_SHAPE: BodyShape = { names: SAFE_NAMES };
export const LISTENER_SHAPE: BodyShape = { names: LISTENER_NAMES };
export const USER_SHAPE: BodyShape = { names: USER_NAMES };
/** `POST /api/system/accounts/:id/granted_users`; argument-style, so its issues have no `input.` root. */
export const GRANT_SHAPE: BodyShape = { names: { userId: 'user_id' } };
/** `POST /api/system/safes/:id/accounts`; argument-style too. */
export const ASSIGNMENT_SHAPE: BodyShape = { names: { accountId: 'account_id', listenerId: 'listener_id' } };

export const accountBody = (w: AccountWrite): JsonObject => buildBody(w, ACCOUNT_SHAPE);
export const credentialsBody = (w: CredentialsWrite): JsonObject => buildBody(w, CREDENTIALS_SHAPE);
export const passwordChangerBody = (w: PasswordChangerWrite): JsonObject =>
  buildBody(w, PASSWORD_CHANGER_SHAPE);
export const serverBody = (w: ServerWrite): JsonObject => buildBody(w, SERVER_SHAPE);
export const safeBody = (w: SafeWrite): JsonObject => buildBody(w, SAFE_SHAPE);
export const listenerBody = (w: ListenerWrite): JsonObject => buildBody(w, LISTENER_SHAPE);
export const userBody = (w: UserWrite): JsonObject => buildBody(w, USER_SHAPE);

/** The write-only values an account write carries: credential secrets and every changer password. */
export function accountSecrets(w: AccountWrite): string[] {
  const changers = w.passwordChangers ?? [];
  return presentSecrets(
    w.credentials?.secret,
    w.credentials?.privateKey,
    ...changers.flatMap((c) => [c.privilegedModePassword, c.privilegedPassword, c.sshPassword]),
  );
}

export const userSecrets = (w: UserWrite): string[] => presentSecrets(w.password);

/** Servers, safes and listeners carry no write-only field. */
export const noSecrets = (): string[] => [];
