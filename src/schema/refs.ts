/**
 * Object refs of every domain type, declared before any is implemented so that domain files can point at
 * each other without import cycles. Implementations live in one file per type.
 */
import type { AuditEntry } from '../upstream/audit.js';
import type {
  PamAccount,
  PamCredentials,
  PamListener,
  PamPasswordChanger,
  PamPolicy,
  PamSafe,
  PamServer,
  PamUser,
} from '../upstream/pam/index.js';
import { builder } from './builder.js';
import type { RefStub } from './stubs.js';

export type AccountSource = PamAccount | RefStub;
export type ServerSource = PamServer | RefStub;
export type ListenerSource = PamListener | RefStub;
export type UserSource = PamUser | RefStub;
export type PolicySource = PamPolicy | RefStub;

export interface AccountSafeShape {
  safe: PamSafe;
  listener: ListenerSource;
}

export const AccountRef = builder.objectRef<AccountSource>('Account');
export const ServerRef = builder.objectRef<ServerSource>('Server');
export const SafeRef = builder.objectRef<PamSafe>('Safe');
export const ListenerRef = builder.objectRef<ListenerSource>('Listener');
export const UserRef = builder.objectRef<UserSource>('User');
export const PolicyRef = builder.objectRef<PolicySource>('PasswordChangePolicy');
export const AuditEntryRef = builder.objectRef<AuditEntry>('AuditEntry');
export const CredentialsRef = builder.objectRef<PamCredentials>('AccountCredentials');
export const PasswordChangerRef = builder.objectRef<PamPasswordChanger>('PasswordChanger');
export const AccountSafeRef = builder.objectRef<AccountSafeShape>('AccountSafe');
