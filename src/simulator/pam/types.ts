/**
 * The PAM simulator's stored objects. Write-only fields (secrets, passwords, private keys) live here next to
 * the readable ones; the serializers decide what leaves the process, so nothing here is ever sent as is.
 */

export const PROTOCOLS = [
  'http',
  'modbus',
  'mysql',
  'rdp',
  'ssh',
  'system',
  'tcp',
  'tds',
  'telnet',
  'tn3270',
  'tn5250',
  'vnc',
] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const ACCOUNT_TYPES = ['anonymous', 'forward', 'regular'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];
export const METHODS = ['password', 'ssh-key', 'account'] as const;
export type Method = (typeof METHODS)[number];
export const DUMP_MODES = ['all', 'none', 'raw'] as const;
export type DumpMode = (typeof DUMP_MODES)[number];
export const CHANGER_TYPES = ['change', 'verify'] as const;
export type ChangerType = (typeof CHANGER_TYPES)[number];
export const LISTENER_MODES = ['bastion', 'gateway', 'proxy', 'transparent'] as const;
export type ListenerMode = (typeof LISTENER_MODES)[number];
export const ROLES = ['superadmin', 'admin', 'operator', 'service', 'user'] as const;
export type Role = (typeof ROLES)[number];
export const NOTE_ACCESS = ['none', 'read', 'write'] as const;
export type NoteAccess = (typeof NOTE_ACCESS)[number];

/** Every row of a named collection; names are unique case-insensitively within it. */
export interface Row {
  id: number;
  name: string;
}

export interface Credentials {
  domain: string;
  login: string;
  method: Method | null;
  secret: string | null;
  privateKey: string | null;
  /** Derived from `privateKey` at write time so reads never hash anything. */
  publicKey: string | null;
  policyId: number | null;
}

export interface PasswordChanger {
  id: number;
  type: ChangerType;
  position: number;
  timeout: number;
  privilegedModePassword: string | null;
  privilegedUsername: string;
  privilegedPassword: string | null;
  sshUsername: string;
  sshPassword: string | null;
  sshHost: string;
  sshPort: string;
}

export interface Account extends Row {
  type: AccountType;
  blocked: boolean;
  serverId: number;
  credentials: Credentials | null;
  dumpMode: DumpMode;
  ocrEnabled: boolean;
  ocrLang: string;
  passwordLastUpdate: string | null;
  passwordChangeRequest: string | null;
  passwordCheckoutTimeLimit: string | null;
  passwordRecovery: boolean;
  retention: number | null;
  changers: PasswordChanger[];
}

/** Fields every mutable non-account collection shares. */
export interface Blockable extends Row {
  blocked: boolean;
  reason: string | null;
  createdAt: string;
  modifiedAt: string;
}

export interface Server extends Blockable {
  description: string;
  address: string;
  mask: number | null;
  port: number;
  protocol: Protocol;
  bindIp: string | null;
}

export interface Safe extends Blockable {
  loginReason: boolean;
  requireConfirmation: boolean;
  requiredVotes: number;
  webclient: boolean;
  inactivityLimit: number;
  timeLimit: number;
  noteAccess: NoteAccess;
}

export interface Listener extends Blockable {
  protocol: Protocol;
  mode: ListenerMode;
  listenIp: string;
  listenPort: number | null;
  externalAddress: string | null;
  externalPort: number | null;
}

export interface User extends Blockable {
  role: Role;
  fullName: string | null;
  email: string | null;
  password: string | null;
}

export interface Policy extends Row {
  changeFrequency: number;
  complexityLength: number;
}

export interface Assignment {
  accountId: number;
  listenerId: number;
}
