/**
 * PAM accounts (docs/upstreams.md §1.2, §1.3): DTOs built field by field. Write-only fields (`secret`,
 * `private_key`, password-changer passwords) never appear in a response per the contract, and the
 * decoders below would not copy them if an appliance sent them anyway.
 */
import type { JsonObject } from '../decode.js';
import type { ScopedUpstream } from '../scope.js';
import { decodeRefList, getOne, listPage, type PamPage, type PamRef, pamDecoder } from './common.js';

export const ACCOUNT_TYPES = ['anonymous', 'forward', 'regular'] as const;
export const DUMP_MODES = ['all', 'none', 'raw'] as const;
export const CREDENTIAL_METHODS = ['password', 'ssh-key', 'account'] as const;
export const PASSWORD_CHANGER_TYPES = ['change', 'verify'] as const;

export interface PamCredentials {
  domain: string | null;
  login: string;
  method: (typeof CREDENTIAL_METHODS)[number] | null;
  publicKey: string | null;
  passwordChangePolicyId: number | null;
  passwordChangePolicy: PamRef | null;
}

export interface PamPasswordChanger {
  changerId: number;
  type: (typeof PASSWORD_CHANGER_TYPES)[number];
  position: number;
  timeout: number;
  privilegedUsername: string | null;
  sshUsername: string | null;
  sshHost: string | null;
  sshPort: string | null;
}

export interface PamAccount {
  id: number;
  name: string;
  type: (typeof ACCOUNT_TYPES)[number];
  blocked: boolean;
  serverId: number;
  server: PamRef | null;
  credentials: PamCredentials | null;
  dumpMode: (typeof DUMP_MODES)[number];
  ocrEnabled: boolean;
  ocrLang: string | null;
  passwordLastUpdate: string | null;
  passwordChangeRequest: string | null;
  passwordCheckoutTimeLimit: string | null;
  passwordRecovery: boolean;
  retention: number | null;
  passwordChangers: PamPasswordChanger[];
}

const d = pamDecoder;

function decodeCredentials(value: unknown): PamCredentials | null {
  if (value === undefined || value === null) return null;
  const c = d.object(value, 'account credentials');
  return {
    domain: d.optionalString(c, 'domain') || null,
    login: d.string(c, 'login'),
    method: c.method == null ? null : d.oneOf(c, 'method', CREDENTIAL_METHODS),
    publicKey: d.optionalString(c, 'public_key'),
    passwordChangePolicyId: d.optionalInteger(c, 'password_change_policy_id'),
    passwordChangePolicy: d.ref(c.password_change_policy, 'password change policy'),
  };
}

function decodeChanger(value: unknown): PamPasswordChanger {
  const p = d.object(value, 'password changer');
  const port = p.ssh_port;
  return {
    changerId: d.integer(p, 'id'),
    type:
      p.password_changer_type == null
        ? 'change'
        : d.oneOf(p, 'password_changer_type', PASSWORD_CHANGER_TYPES),
    position: d.integer(p, 'position'),
    timeout: d.integer(p, 'timeout'),
    privilegedUsername: d.optionalString(p, 'privileged_username') || null,
    sshUsername: d.optionalString(p, 'ssh_username') || null,
    sshHost: d.optionalString(p, 'ssh_host') || null,
    // The seed types ssh_port as a string; accept a number too and keep one representation.
    sshPort: typeof port === 'number' ? String(port) : d.optionalString(p, 'ssh_port') || null,
  };
}

export function decodeAccount(value: unknown): PamAccount {
  const a: JsonObject = d.object(value, 'account');
  return {
    id: d.integer(a, 'id'),
    name: d.string(a, 'name'),
    type: d.oneOf(a, 'type', ACCOUNT_TYPES),
    blocked: d.boolean(a, 'blocked', false),
    serverId: d.integer(a, 'server_id'),
    server: d.ref(a.server, 'account server'),
    credentials: decodeCredentials(a.credentials),
    dumpMode: a.dump_mode == null ? 'all' : d.oneOf(a, 'dump_mode', DUMP_MODES),
    ocrEnabled: d.boolean(a, 'ocr_enabled', false),
    ocrLang: d.optionalString(a, 'ocr_lang') || null,
    passwordLastUpdate: d.optionalString(a, 'password_lastupdate'),
    passwordChangeRequest: d.optionalString(a, 'password_change_request'),
    passwordCheckoutTimeLimit: d.optionalString(a, 'password_checkout_time_limit'),
    passwordRecovery: d.boolean(a, 'password_recovery', false),
    retention: d.optionalInteger(a, 'retention'),
    passwordChangers: d.array(a.accountpasswordchanger_set ?? [], 'password changer').map(decodeChanger),
  };
}

/** `GET /api/system/accounts?page&page_size` */
export function listAccounts(pam: ScopedUpstream, page: PamPage): Promise<PamAccount[]> {
  return listPage(pam, '/api/system/accounts', page, decodeAccount, 'account');
}

/** `GET /api/system/accounts/:id`; null when absent or invisible to the caller (404). */
export function getAccount(pam: ScopedUpstream, id: number): Promise<PamAccount | null> {
  return getOne(pam, '/api/system/accounts', id, decodeAccount);
}

/** `GET /api/system/accounts/:id/granted_users?page&page_size`: users who may manage the account. */
export async function listGrantedUsers(
  pam: ScopedUpstream,
  accountId: number,
  page: PamPage,
): Promise<PamRef[]> {
  const body = await pam.get(`/api/system/accounts/${accountId}/granted_users`, {
    page: page.page,
    page_size: page.pageSize,
  });
  return decodeRefList(body, 'granted user');
}
