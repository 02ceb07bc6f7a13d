/**
 * Object refs of every domain type, declared before any is implemented so that domain files can point at
 * each other without import cycles. Implementations live in one file per type.
 */
import {
  Account,
  AuditEntry as AuditEntryResource,
  Credentials,
  Listener,
  PasswordChanger,
  Policy,
  Safe,
  Server,
  User,
} from '../resources/index.js';
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
import { describedRef } from './derive.js';
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

export const AccountRef = describedRef<AccountSource>(Account);
export const ServerRef = describedRef<ServerSource>(Server);
export const SafeRef = describedRef<PamSafe>(Safe);
export const ListenerRef = describedRef<ListenerSource>(Listener);
export const UserRef = describedRef<UserSource>(User);
export const PolicyRef = describedRef<PolicySource>(Policy);
export const AuditEntryRef = describedRef<AuditEntry>(AuditEntryResource);
export const CredentialsRef = describedRef<PamCredentials>(Credentials);
export const PasswordChangerRef = describedRef<PamPasswordChanger>(PasswordChanger);
export const AccountSafeRef = builder.objectRef<AccountSafeShape>('AccountSafe');
