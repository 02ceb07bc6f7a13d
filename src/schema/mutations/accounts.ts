/**
 * Writes of accounts (docs/upstreams.md §1.2), of who may manage them (§1.3) and of which safes expose them
 * (§1.4). Declarations only: what each mutation does is in src/write/perform.ts.
 */
import type { ArgBuilder } from '@pothos/core';
import {
  ACCOUNTS,
  assignToSafe,
  createPam,
  deletePam,
  grantManagement,
  removeFromSafe,
  replacePam,
  revokeManagement,
  updatePam,
} from '../../write/perform.js';
import { type BuilderTypes, builder } from '../builder.js';
import { AccountRef, AccountSafeRef, UserRef } from '../refs.js';
import { stubOf } from '../stubs.js';
import { errorsOption } from './errors.js';
import { createOptions, deleteOptions, replaceOptions, updateOptions } from './fields.js';

/** The two arguments of the granted-users mutations. */
function accountAndUser(arg: ArgBuilder<BuilderTypes>) {
  return {
    accountId: arg.id({ required: true, description: 'The account (global ID or PAM id).' }),
    userId: arg.id({ required: true, description: 'The user (global ID or PAM id).' }),
  };
}

builder.mutationFields((t) => ({
  createAccount: t.field({
    type: AccountRef,
    ...createOptions(t, ACCOUNTS.client),
    resolve: (_root, args, ctx) => createPam(ctx, ACCOUNTS, args.input),
  }),
  updateAccount: t.field({
    type: AccountRef,
    ...updateOptions(t, ACCOUNTS.client),
    resolve: (_root, args, ctx) => updatePam(ctx, ACCOUNTS, args.id, args.input),
  }),
  replaceAccount: t.field({
    type: AccountRef,
    ...replaceOptions(t, ACCOUNTS.client),
    resolve: (_root, args, ctx) => replacePam(ctx, ACCOUNTS, args.id, args.input),
  }),
  deleteAccount: t.field({
    type: 'ID',
    ...deleteOptions(t, ACCOUNTS.client),
    resolve: (_root, args, ctx) => deletePam(ctx, ACCOUNTS, args.id),
  }),
  grantAccountManagement: t.field({
    type: UserRef,
    description:
      'Lets a user manage an account: `POST /api/system/accounts/:id/granted_users`. Returns the user; ' +
      'a user already granted is a ValidationError on `userId`.',
    errors: errorsOption('grantAccountManagement', 'user'),
    args: accountAndUser(t.arg),
    resolve: async (_root, args, ctx) => stubOf(await grantManagement(ctx, args.accountId, args.userId)),
  }),
  revokeAccountManagement: t.field({
    type: 'ID',
    description:
      'Stops a user managing an account: `DELETE /api/system/accounts/:id/granted_users/:user_id`. ' +
      'Returns the user’s global ID; a user not granted is a NotFoundError.',
    errors: errorsOption('revokeAccountManagement', 'revokedUserId'),
    args: accountAndUser(t.arg),
    resolve: (_root, args, ctx) => revokeManagement(ctx, args.accountId, args.userId),
  }),
  assignAccountToSafe: t.field({
    type: AccountSafeRef,
    description:
      'Exposes an account in a safe through a listener: `POST /api/system/safes/:id/accounts`. An account may be ' +
      'exposed in one safe through several listeners; the same triple twice is a ValidationError.',
    errors: errorsOption('assignAccountToSafe', 'assignment'),
    args: {
      safeId: t.arg.id({ required: true, description: 'The safe (global ID or PAM id).' }),
      accountId: t.arg.id({ required: true, description: 'The account (global ID or PAM id).' }),
      listenerId: t.arg.id({ required: true, description: 'The listener (global ID or PAM id).' }),
    },
    resolve: async (_root, args, ctx) => {
      const assignment = await assignToSafe(ctx, args.safeId, args.accountId, args.listenerId);
      return { safe: assignment.safe, listener: stubOf(assignment.listener) };
    },
  }),
  removeAccountFromSafe: t.field({
    type: 'ID',
    description:
      'Stops a safe exposing an account, through every listener: `DELETE /api/system/safes/:id/accounts/:account_id`. ' +
      'Returns the account’s global ID; an account not in the safe is a NotFoundError.',
    errors: errorsOption('removeAccountFromSafe', 'removedAccountId'),
    args: {
      safeId: t.arg.id({ required: true, description: 'The safe (global ID or PAM id).' }),
      accountId: t.arg.id({ required: true, description: 'The account (global ID or PAM id).' }),
    },
    resolve: (_root, args, ctx) => removeFromSafe(ctx, args.safeId, args.accountId),
  }),
}));
