/**
 * The write path's vocabulary. Write inputs are `WriteOf<resource>` (src/resources/describe.ts): camelCase
 * fields, each optional. Optional means "not given": on create and replace (PUT) the upstream applies its
 * default; on update (PATCH) the field is left unchanged. `null` means "clear it" where the description says
 * the field is clearable. Secrets travel in these inputs to the upstream and nowhere else (never logged).
 */

import type { WriteOf } from '../resources/describe.js';
import type {
  Account,
  AuditEntry,
  Credentials,
  Listener,
  PasswordChanger,
  Safe,
  Server,
  User,
} from '../resources/index.js';

export type AccountWrite = WriteOf<typeof Account>;
export type CredentialsWrite = WriteOf<typeof Credentials>;
export type PasswordChangerWrite = WriteOf<typeof PasswordChanger>;
export type ServerWrite = WriteOf<typeof Server>;
export type SafeWrite = WriteOf<typeof Safe>;
export type ListenerWrite = WriteOf<typeof Listener>;
export type UserWrite = WriteOf<typeof User>;
export type AuditEntryWrite = WriteOf<typeof AuditEntry>;

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
