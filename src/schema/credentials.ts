/**
 * An account's credentials and password changers, and password change policies (docs/upstreams.md §1.2, §1.9).
 * Their fields come from their descriptions (src/resources/account.ts, policy.ts): the write-only `secret`,
 * `private_key` and changer passwords have no output field, so they cannot be selected.
 */
import type { GatewayContext } from '../context.js';
import { Credentials, PasswordChanger, Policy } from '../resources/index.js';
import { builder } from './builder.js';
import { describedFields, direct } from './derive.js';
import { CredentialsRef, PasswordChangerRef, PolicyRef } from './refs.js';
import { refOrLoad, stubReader } from './stubs.js';

builder.objectType(CredentialsRef, {
  description: Credentials.description,
  fields: (t) => ({
    ...describedFields(t, Credentials, direct),
    passwordChangePolicy: t.field({
      type: PolicyRef,
      nullable: true,
      description: 'Policy that rotates the secret; null when none applies.',
      resolve: (c, _args, ctx) =>
        c.passwordChangePolicyId === null
          ? null
          : refOrLoad(c.passwordChangePolicy, c.passwordChangePolicyId, ctx.loaders.policies.byId),
    }),
  }),
});

builder.objectType(PasswordChangerRef, {
  description: PasswordChanger.description,
  fields: (t) => describedFields(t, PasswordChanger, direct),
});

builder.node(PolicyRef, {
  description: Policy.description,
  id: { resolve: (p) => p.id, parse: (id) => Number(id) },
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.policies.byId.load(id)),
  fields: (t) =>
    describedFields(
      t,
      Policy,
      stubReader((ctx: GatewayContext) => ctx.loaders.policies.byId, 'password change policy'),
    ),
});

builder.queryField('passwordChangePolicies', (t) =>
  t.field({
    type: [PolicyRef],
    nullable: true,
    description: 'Every password change policy (a short, read-only list), ascending by id.',
    resolve: (_root, _args, ctx) => ctx.loaders.policies.all(),
  }),
);
