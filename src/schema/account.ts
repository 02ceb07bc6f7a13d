/**
 * `Account`: a privileged account on a server (PAM API §1.2). Every exposed field is declared here by
 * hand; credentials' secrets have no field at all.
 */
import type { ACCOUNT_TYPES, PamAccount } from '../upstream/pam/index.js';
import { builder } from './builder.js';
import { toConnection, windowOf } from './connection.js';

export const AccountTypeEnum = builder.enumType('AccountType', {
  description: 'How users authenticate through the account.',
  values: {
    ANONYMOUS: { value: 'anonymous', description: 'No user authentication.' },
    FORWARD: { value: 'forward', description: 'The user’s login and password are forwarded to the server.' },
    REGULAR: { value: 'regular', description: 'The stored credentials are substituted for the user’s.' },
  } satisfies Record<Uppercase<(typeof ACCOUNT_TYPES)[number]>, unknown>,
});

export const AccountRef = builder.objectRef<PamAccount>('Account');

builder.node(AccountRef, {
  description: 'A privileged account that lives on one server and is exposed to users through safes.',
  id: {
    resolve: (account) => account.id,
    parse: (id) => Number(id),
  },
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.accounts.byId.load(id)),
  fields: (t) => ({
    pamId: t.exposeID('id', { description: 'The account’s id in the PAM API.' }),
    name: t.exposeString('name', { description: 'Unique account name.' }),
    type: t.expose('type', {
      type: AccountTypeEnum,
      description: 'How users authenticate through the account.',
    }),
    blocked: t.exposeBoolean('blocked', { description: 'Whether the account is blocked from use.' }),
  }),
});

const AccountConnection = builder.connectionObject({
  type: AccountRef,
  name: 'AccountConnection',
  description: 'A page of accounts.',
});

builder.queryField('accounts', (t) =>
  t.field({
    type: AccountConnection,
    // Nullable: when this upstream fails, the other upstream's fields of the same query still resolve.
    nullable: true,
    description: 'Accounts visible to the caller, in ascending PAM id order.',
    args: {
      first: t.arg.int({
        description:
          'How many accounts to return (default 20 and at most 100 unless the deployment configures otherwise).',
      }),
      after: t.arg.string({ description: 'Cursor of the edge after which to start.' }),
    },
    resolve: async (_root, args, ctx) => {
      const window = windowOf(args, ctx.limits);
      const items = await ctx.loaders.accounts.window(window.offset, window.first + 1);
      return toConnection(items, window);
    },
  }),
);
