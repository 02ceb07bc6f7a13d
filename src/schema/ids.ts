/**
 * Arguments that name one object: the global ID from this API, or the upstream's own id where a client has
 * only that (digits for PAM, 24 hex characters for the Audit API). The two forms cannot be confused: a
 * global ID is base64url of `pg1:…`, which is never all digits nor hexadecimal.
 */
import { GatewayError } from '../errors.js';
import { decodeGlobalId } from './global-id.js';

/** "Expected the ID of an Account." — said wherever an id of the wrong kind arrives. */
export function expectedId(typename: string): string {
  return `Expected the ID of ${/^[AEIOU]/.test(typename) ? 'an' : 'a'} ${typename}.`;
}

export function pamIdArg(value: string, typename: string): number {
  const text = value.trim();
  if (/^\d{1,15}$/.test(text)) return Number(text);
  const decoded = decodeGlobalId(text);
  if (decoded.typename !== typename || !/^\d{1,15}$/.test(decoded.id)) {
    throw new GatewayError('BAD_USER_INPUT', expectedId(typename));
  }
  return Number(decoded.id);
}

export function auditIdArg(value: string): string {
  const text = value.trim();
  if (/^[0-9a-f]{24}$/.test(text)) return text;
  const decoded = decodeGlobalId(text);
  if (decoded.typename !== 'AuditEntry') throw new GatewayError('BAD_USER_INPUT', expectedId('AuditEntry'));
  return decoded.id;
}
