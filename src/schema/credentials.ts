/**
 * An account's credentials, password changers and password change policies. The write-only fields of the
 * contract (`secret`, `private_key`, changer passwords) have no output field: they cannot be selected.
 */
import type { GatewayContext } from '../context.js';
import { builder } from './builder.js';
import { CredentialMethodEnum, PasswordChangerTypeEnum } from './enums.js';
import { CredentialsRef, PasswordChangerRef, PolicyRef } from './refs.js';
import { refOrLoad, stubbedType } from './stubs.js';

/** Names the contract gives to built-in password changers; 1..3 are unnamed (docs/upstreams.md §1.2). */
const CHANGER_NAMES: Record<number, string> = {
  4: 'PC_SSH_UNIX_MYSQL',
  5: 'PC_TELNET_CISCO',
  6: 'PC_TELNET_CISCO_ENABLE',
  7: 'PC_SSH_CISCO',
  8: 'PC_SSH_CISCO_ENABLE',
};

builder.objectType(CredentialsRef, {
  description:
    'How the account logs in to its server. The secret and private key are write-only and never exposed.',
  fields: (t) => ({
    login: t.exposeString('login', { description: 'Login name on the server.' }),
    domain: t.exposeString('domain', { nullable: true, description: 'Login domain; null when none.' }),
    method: t.expose('method', {
      type: CredentialMethodEnum,
      nullable: true,
      description: 'How the stored credentials authenticate; null for forward accounts.',
    }),
    publicKey: t.exposeString('publicKey', {
      nullable: true,
      description: 'Public part derived from the private key; null when the method is not ssh-key.',
    }),
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
  description: 'A password changer of an account. Its passwords are write-only and never exposed.',
  fields: (t) => ({
    changerId: t.exposeInt('changerId', { description: 'Which built-in changer (1..8).' }),
    changerName: t.string({
      nullable: true,
      description: 'Name of the built-in changer, e.g. `PC_SSH_CISCO`; null for the unnamed ones.',
      resolve: (p) => CHANGER_NAMES[p.changerId] ?? null,
    }),
    type: t.expose('type', {
      type: PasswordChangerTypeEnum,
      description: 'Change or only verify the secret.',
    }),
    position: t.field({
      type: 'NonNegativeInt',
      description: 'Order among the account’s changers.',
      resolve: (p) => p.position,
    }),
    timeout: t.field({ type: 'PositiveInt', description: 'Timeout in seconds.', resolve: (p) => p.timeout }),
    privilegedUsername: t.exposeString('privilegedUsername', {
      nullable: true,
      description: 'Privileged user, if any.',
    }),
    sshUsername: t.exposeString('sshUsername', { nullable: true, description: 'SSH user (changer 4).' }),
    sshHost: t.exposeString('sshHost', { nullable: true, description: 'SSH host (changer 4).' }),
    sshPort: t.exposeString('sshPort', {
      nullable: true,
      description: 'SSH port as configured (changer 4).',
    }),
  }),
});

const { via } = stubbedType((ctx: GatewayContext) => ctx.loaders.policies.byId, 'password change policy');

builder.node(PolicyRef, {
  description:
    'How often and how strongly an account’s secret is changed. Policy 1 ("Static") never changes it.',
  id: { resolve: (p) => p.id, parse: (id) => Number(id) },
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.policies.byId.load(id)),
  fields: (t) => ({
    pamId: t.exposeID('id', { description: 'The policy’s id in the PAM API.' }),
    name: t.exposeString('name', { description: 'Policy name.' }),
    changeFrequency: t.field({
      type: 'NonNegativeInt',
      description: 'Minutes between changes; 0 means never.',
      resolve: via((p) => p.changeFrequency),
    }),
    complexityLength: t.field({
      type: 'NonNegativeInt',
      description: 'Length of generated secrets.',
      resolve: via((p) => p.complexityLength),
    }),
  }),
});

builder.queryField('passwordChangePolicies', (t) =>
  t.field({
    type: [PolicyRef],
    nullable: true,
    description: 'Every password change policy (a short, read-only list), ascending by id.',
    resolve: (_root, _args, ctx) => ctx.loaders.policies.all(),
  }),
);
