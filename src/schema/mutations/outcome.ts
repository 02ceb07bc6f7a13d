/**
 * From an upstream `WriteOutcome` to the mutation's result: the value, or one of the typed errors.
 */
import type { InputIssue, WriteOutcome } from '../../write/types.js';
import { auditIdArg, expectedId, pamIdArg } from '../ids.js';
import { ForbiddenError, NotFoundError, ValidationError } from './errors.js';

export function settle<T>(outcome: WriteOutcome<T>, what: string): T {
  switch (outcome.kind) {
    case 'ok':
      return outcome.value;
    case 'invalid':
      throw new ValidationError(outcome.issues);
    case 'not_found':
      throw new NotFoundError(`No such ${what}, or it is not visible to you.`);
    case 'forbidden':
      throw new ForbiddenError(`Your credentials do not permit changing this ${what}.`);
  }
}

/** Fails before any upstream request when the gateway's own checks found problems. */
export function rejectIssues(issues: InputIssue[]): void {
  if (issues.length > 0) throw new ValidationError(issues);
}

/** An id argument or input field: a global ID of `typename`, or the upstream's own id. */
export function pamIdAt(value: string | number, typename: string, path: string): number {
  try {
    return pamIdArg(String(value), typename);
  } catch {
    throw new ValidationError([{ path, message: expectedId(typename) }]);
  }
}

export function auditIdAt(value: string | number, path: string): string {
  try {
    return auditIdArg(String(value));
  } catch {
    throw new ValidationError([{ path, message: expectedId('AuditEntry') }]);
  }
}
