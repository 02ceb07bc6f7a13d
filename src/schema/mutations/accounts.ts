/**
 * Writes of accounts (docs/upstreams.md §1.2), of who may manage them (§1.3) and of which safes expose them (§1.4).
 */

import type { ArgBuilder } from '@pothos/core';
import {
  assignAccountToSafe,
  createAccount,
  deleteAccount,
  grantAccountManagement,
  removeAccountFromSafe,
  replaceAccount,
  revokeAccountManagement,
  updateAccount,
} from '../../upstream/pam/index.js';
import { validateAccount } from '../../write/validate/index.js';
import { type BuilderTypes, builder } from '../builder.js';
import { encodeGlobalId } from '../global-id.js';
import { AccountRef, AccountSafeRef, UserRef } from '../refs.js';
import { stubOf } from '../stubs.js';
import { crudMutations, errorsOption } from './crud.js';
import { AccountInput, AccountPatch } from './inputs.js';
import { pamIdAt, settle } from './outcome.js';
import { toAccountWrite } from './to-write.js';

crudMutations({
  typename: 'Account' as never,
  noun: 'account',
  path: '/api/system/accounts',
  ref: AccountRef,
  input: AccountInput,
  patch: AccountPatch,
  toWrite: (input) => toAccountWrite(input),
  validate: validateAccount,
  create: createAccount,
  replace: replaceAccount,
  update: updateAccount,
  remove: deleteAccount,
  prime: (ctx, account) => ctx.loaders.accounts.byId.prime(account.id, account),
});

/** The two arguments of the granted-users mutations. */
function accountAndUser(arg: ArgBuilder<BuilderTypes>) {
  return {
    accountId: arg.id({ required: true, description: 'The account (global ID or PAM id).' }),
    userId: arg.id({ required: true, description: 'The user (global ID or PAM id).' }),
  };
}

function accountAndUserIds(args: { accountId: string | number; userId: string | number }) {
  return {
    accountId: pamIdAt(String(args.accountId), 'Account', 'accountId'),
    userId: pamIdAt(String(args.userId), 'User', 'userId'),
  };
}

builder.mutationFields((t) => ({
  grantAccountManagement: t.field({
    type: UserRef,
    description:
      'Lets a user manage an account: `POST /api/system/accounts/:id/granted_users`. Returns the user; ' +
      'a user already granted is a ValidationError on `userId`.',
    errors: errorsOption('grantAccountManagement', 'user'),
    args: accountAndUser(t.arg),
    resolve: async (_root, args, ctx) => {
      const { accountId, userId } = accountAndUserIds(args);
      const user = settle(await grantAccountManagement(ctx.pam, accountId, userId), 'account');
      ctx.renewLoaders();
      return stubOf(user);
    },
  }),
  revokeAccountManagement: t.field({
    type: 'ID',
    description:
      'Stops a user managing an account: `DELETE /api/system/accounts/:id/granted_users/:user_id`. ' +
      'Returns the user’s global ID; a user not granted is a NotFoundError.',
    errors: errorsOption('revokeAccountManagement', 'revokedUserId'),
    args: accountAndUser(t.arg),
    resolve: async (_root, args, ctx) => {
      const { accountId, userId } = accountAndUserIds(args);
      settle(await revokeAccountManagement(ctx.pam, accountId, userId), 'account or grant');
      ctx.renewLoaders();
      return encodeGlobalId('User', userId);
    },
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
      const safeId = pamIdAt(String(args.safeId), 'Safe', 'safeId');
      const accountId = pamIdAt(String(args.accountId), 'Account', 'accountId');
      const listenerId = pamIdAt(String(args.listenerId), 'Listener', 'listenerId');
      const assignment = settle(await assignAccountToSafe(ctx.pam, safeId, accountId, listenerId), 'safe');
      ctx.renewLoaders();
      const safe = await ctx.loaders.safes.byId.load(safeId);
      if (!safe) throw new Error('safe vanished after the assignment');
      return { safe, listener: stubOf(assignment.listener) };
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
    resolve: async (_root, args, ctx) => {
      const safeId = pamIdAt(String(args.safeId), 'Safe', 'safeId');
      const accountId = pamIdAt(String(args.accountId), 'Account', 'accountId');
      settle(await removeAccountFromSafe(ctx.pam, safeId, accountId), 'safe or assignment');
      ctx.renewLoaders();
      return encodeGlobalId('Account', accountId);
    },
  }),
}));
