/**
 * `User`: a PAM user (§1.8). The write-only `password` has no output field.
 */
import type { GatewayContext } from '../context.js';
import { builder } from './builder.js';
import { UserConnection } from './connections.js';
import { UserRoleEnum } from './enums.js';
import { UserRef } from './refs.js';
import { pamRootFields } from './root-fields.js';
import { stubbedType } from './stubs.js';

const { via } = stubbedType((ctx: GatewayContext) => ctx.loaders.users.byId, 'user');

builder.node(UserRef, {
  description: 'A PAM user: someone who may log in to the appliance, and may be granted accounts to manage.',
  id: { resolve: (user) => user.id, parse: (id) => Number(id) },
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.users.byId.load(id)),
  fields: (t) => ({
    pamId: t.exposeID('id', { description: 'The user’s id in the PAM API.' }),
    name: t.exposeString('name', { description: 'Login name (unique).' }),
    role: t.field({ type: UserRoleEnum, description: 'What the user may do.', resolve: via((u) => u.role) }),
    fullName: t.string({ nullable: true, description: 'Full name.', resolve: via((u) => u.fullName) }),
    email: t.string({
      nullable: true,
      description: 'E-mail address, as stored.',
      resolve: via((u) => u.email),
    }),
    blocked: t.boolean({ description: 'Whether the user is blocked.', resolve: via((u) => u.blocked) }),
    reason: t.string({
      nullable: true,
      description: 'Why the user is blocked.',
      resolve: via((u) => u.reason),
    }),
    createdAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it was created.',
      resolve: via((u) => u.createdAt),
    }),
    modifiedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it last changed.',
      resolve: via((u) => u.modifiedAt),
    }),
  }),
});

pamRootFields({
  typename: 'User',
  noun: 'user',
  ref: UserRef,
  connection: UserConnection,
  collection: (ctx) => ctx.loaders.users,
});
