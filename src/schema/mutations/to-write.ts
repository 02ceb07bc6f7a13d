/**
 * GraphQL inputs → the write DTOs of `src/write/types.ts`. Field names are the same on both sides; only ids
 * change form (a global ID or an upstream id becomes the upstream's number). `undefined` (not given) and
 * `null` (clear) stay distinct: a PATCH must not send what the client did not give.
 */
import type { AccountWrite, CredentialsWrite, PasswordChangerWrite } from '../../write/types.js';
import { pamIdAt } from './outcome.js';

type Loose = Record<string, unknown>;

/** A shallow copy without the keys that were not given. */
export function given<T>(input: object): T {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as T;
}

function toCredentials(input: Loose, at: string): CredentialsWrite {
  const { passwordChangePolicyId, ...rest } = input;
  const w = given<CredentialsWrite>(rest);
  if (passwordChangePolicyId === null) w.passwordChangePolicyId = null;
  else if (passwordChangePolicyId !== undefined) {
    w.passwordChangePolicyId = pamIdAt(
      String(passwordChangePolicyId),
      'PasswordChangePolicy',
      `${at}.passwordChangePolicyId`,
    );
  }
  return w;
}

export function toAccountWrite(input: object, at = 'input'): AccountWrite {
  const { serverId, credentials, passwordChangers, ...rest } = input as Loose;
  const w = given<AccountWrite>(rest);
  if (serverId !== undefined && serverId !== null)
    w.serverId = pamIdAt(String(serverId), 'Server', `${at}.serverId`);
  // A given null reaches the validation rules, which report it at its path.
  else if (serverId === null) (w as Loose).serverId = null;
  if (credentials === null) w.credentials = null;
  else if (credentials !== undefined)
    w.credentials = toCredentials(credentials as Loose, `${at}.credentials`);
  if (passwordChangers === null) (w as Loose).passwordChangers = null;
  else if (passwordChangers !== undefined) {
    w.passwordChangers = (passwordChangers as Loose[]).map((p) => given<PasswordChangerWrite>(p));
  }
  return w;
}
