/** PAM users (docs/upstreams.md §1.8). The login `password` is write-only: it has no output field. */
import { blockedNeedsReason } from '../write/validate/checks.js';
import { created, modified, NAME, pamId } from './common.js';
import { boolean, choice, enumSpec, resource, text } from './describe.js';

export const UserRole = enumSpec('UserRole', 'Role of a PAM user.', {
  superadmin: 'Reads and writes everything.',
  admin: 'Reads and writes everything.',
  operator: 'Read-only; sees only the accounts it was granted.',
  service: 'No access to the management API.',
  user: 'No access to the management API.',
});

export const User = resource({
  name: 'User',
  noun: 'user',
  description: 'A PAM user: someone who may log in to the appliance, and may be granted accounts to manage.',
  fields: {
    id: pamId('user'),
    name: text('name', {
      ...NAME,
      required: true,
      filter: true,
      sort: true,
      description: 'Login name (unique).',
    }),
    role: choice('role', UserRole, { required: true, filter: true, description: 'What the user may do.' }),
    fullName: text('full_name', { nullable: true, clearable: true, description: 'Full name.' }),
    email: text('email', {
      filter: 'exactCi',
      format: 'email',
      nullable: true,
      clearable: true,
      description: 'E-mail address, as stored.',
    }),
    password: text('password', {
      secret: true,
      description: 'Login password; never returned. `replaceUser` without it clears the stored password.',
    }),
    blocked: boolean('blocked', {
      filter: true,
      fallback: false,
      description: 'Whether the user is blocked.',
      inputDescription: 'Block the user; needs a reason.',
    }),
    reason: text('reason', { nullable: true, clearable: true, description: 'Why the user is blocked.' }),
    createdAt: created,
    modifiedAt: modified,
  },
  rules: blockedNeedsReason,
});
