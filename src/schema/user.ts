/**
 * `User`: a PAM user (§1.8). The write-only `password` has no output field.
 */
import type { GatewayContext } from '../context.js';
import { User } from '../resources/index.js';
import { builder } from './builder.js';
import { UserConnection } from './connections.js';
import { describedFields } from './derive.js';
import { UserList } from './list-defs.js';
import { UserRef } from './refs.js';
import { listOptions, loadList, loadOne, oneOptions } from './root-fields.js';
import { stubReader } from './stubs.js';

const read = stubReader((ctx: GatewayContext) => ctx.loaders.users.byId, 'user');

builder.node(UserRef, {
  description: User.description,
  id: { resolve: (user) => user.id, parse: (id) => Number(id) },
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.users.byId.load(id)),
  fields: (t) => describedFields(t, User, read),
});

builder.queryFields((t) => ({
  user: t.field({
    type: UserRef,
    ...oneOptions(t, 'user'),
    resolve: (_root, args, ctx) => loadOne(ctx.loaders.users, args.id, 'User'),
  }),
  users: t.field({
    type: UserConnection,
    ...listOptions(t, 'users', 'Users in ascending PAM id order.', UserList),
    resolve: (_root, args, ctx) => loadList(ctx.loaders.users, UserList, args, ctx),
  }),
}));
