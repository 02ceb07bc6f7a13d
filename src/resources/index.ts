/**
 * Every upstream resource, each described once (see describe.ts for what a description holds and what is
 * derived from it).
 */
export {
  Account,
  AccountType,
  CredentialMethod,
  Credentials,
  DumpMode,
  PasswordChanger,
  PasswordChangerType,
} from './account.js';
export { AuditEntry } from './audit-entry.js';
export type { PamRef, ReadOf, WriteOf } from './describe.js';
export { Assignment, Grant } from './links.js';
export { Listener, ListenerMode } from './listener.js';
export { Policy } from './policy.js';
export { NoteAccess, Safe } from './safe.js';
export { Protocol, Server } from './server.js';
export { User, UserRole } from './user.js';
