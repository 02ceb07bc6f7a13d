/**
 * The gateway-side validation of each resource, as the mutations run it: `validateResource` with that resource's
 * description (src/resources). Named per resource so the rule tables read as before.
 */

import type { AnyResource } from '../../src/resources/describe.js';
import { Account, AuditEntry, Listener, Safe, Server, User } from '../../src/resources/index.js';
import type { InputIssue } from '../../src/write/types.js';
import { validateResource, type WriteMode } from '../../src/write/validate/index.js';

const bound =
  (r: AnyResource) =>
  (input: unknown, mode: WriteMode, at = 'input'): InputIssue[] =>
    validateResource(r, input, mode, at);

export const validateAccount = bound(Account);
export const validateServer = bound(Server);
export const validateSafe = bound(Safe);
export const validateListener = bound(Listener);
export const validateUser = bound(User);
export const validateAuditEntry = bound(AuditEntry);
export type { WriteMode };
