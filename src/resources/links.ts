/**
 * The two relations the PAM API writes through their own endpoints, described like resources so that their
 * bodies and the paths of their 400s derive the same way: granted users (docs/upstreams.md §1.3) and safe
 * assignments (§1.4). Both are argument-style: their issues name the mutation's arguments, not `input.…`.
 */
import { idOf, int, type PamRef, ref, resource, text } from './describe.js';

/** `POST /api/system/accounts/:id/granted_users` with `{user_id}`; answered with the user's `{id, name}`. */
export const Grant = resource({
  name: 'AccountGrant',
  noun: 'grant',
  description: 'A user who may manage an account.',
  fields: {
    id: int('id', { readOnly: true, required: true, description: 'The user’s PAM id.' }),
    name: text('name', { readOnly: true, required: true, description: 'The user’s login name.' }),
    userId: idOf('user_id', 'User', { writeOnly: true, required: true, description: 'The user.' }),
  },
});

/** A reference some PAM versions give only as `<name>_id` (e.g. `account_id`): read as `{id, name: ''}`. */
const refOrId = (field: string) => (item: Readonly<Record<string, unknown>>) => {
  const id = item[`${field}_id`];
  return item[field] == null && typeof id === 'number' ? ({ id, name: '' } satisfies PamRef) : undefined;
};

/** One account exposed by one safe through one listener: `POST /api/system/safes/:id/accounts`. */
export const Assignment = resource({
  name: 'SafeAssignment',
  noun: 'safe assignment',
  description: 'An account a safe exposes through a listener.',
  fields: {
    account: ref('account', { required: true, read: refOrId('account'), description: 'The account.' }),
    listener: ref('listener', { required: true, read: refOrId('listener'), description: 'The listener.' }),
    accountId: idOf('account_id', 'Account', {
      writeOnly: true,
      required: true,
      description: 'The account.',
    }),
    listenerId: idOf('listener_id', 'Listener', {
      writeOnly: true,
      required: true,
      description: 'The listener.',
    }),
  },
});
