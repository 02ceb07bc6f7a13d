/**
 * The gateway-side write rules, one row each: the rule, the mutation (field and argument types), variables that
 * break exactly that rule of an otherwise valid input, and every issue path the ValidationError must carry.
 */
import {
  account,
  audit,
  changer,
  create,
  credentials,
  globalId,
  listener,
  replace,
  safe,
  server,
  update,
  user,
  type Variables,
  withChangers,
} from './mutation-validation.js';

export interface Row {
  rule: string;
  field: string;
  args: Readonly<Record<string, string>>;
  variables: Variables;
  /** Every issue path expected, no more, no fewer. */
  paths: string[];
}

const row = (
  rule: string,
  target: { field: string; args: Readonly<Record<string, string>> },
  variables: Variables,
  ...paths: string[]
): Row => ({ rule, ...target, variables, paths });

export const ROWS: Row[] = [
  // Name lengths (1..255), code points.
  row('server name of length 0', create('Server'), { input: server({ name: '' }) }, 'input.name'),
  row(
    'server name of length 256',
    create('Server'),
    { input: server({ name: 'n'.repeat(256) }) },
    'input.name',
  ),
  row('account name of length 0', create('Account'), { input: account({ name: '' }) }, 'input.name'),
  row('safe name of length 256', create('Safe'), { input: safe({ name: 's'.repeat(256) }) }, 'input.name'),
  row('listener name of length 0', create('Listener'), { input: listener({ name: '' }) }, 'input.name'),
  row('user name of length 256', create('User'), { input: user({ name: 'u'.repeat(256) }) }, 'input.name'),
  row('user name of length 0 on updateUser', update('User'), { id: '1', input: { name: '' } }, 'input.name'),
  // Ranges.
  row('account retention 0', create('Account'), { input: account({ retention: 0 }) }, 'input.retention'),
  row(
    'changer timeout 0',
    create('Account'),
    { input: withChangers(changer({ timeout: 0 })) },
    'input.passwordChangers.0.timeout',
  ),
  row(
    'changer timeout 3601',
    create('Account'),
    { input: withChangers(changer(), changer({ position: 1, timeout: 3601 })) },
    'input.passwordChangers.1.timeout',
  ),
  row(
    'changer id 9',
    create('Account'),
    { input: withChangers(changer({ changerId: 9 })) },
    'input.passwordChangers.0.changerId',
  ),
  row(
    'changer position -1',
    create('Account'),
    { input: withChangers(changer({ position: -1 })) },
    'input.passwordChangers.0.position',
  ),
  row('server port 0', create('Server'), { input: server({ port: 0 }) }, 'input.port'),
  row('server port 65536', create('Server'), { input: server({ port: 65536 }) }, 'input.port'),
  row(
    'server port 0 on replaceServer',
    replace('Server'),
    { id: '1', input: server({ port: 0 }) },
    'input.port',
  ),
  row('server mask 129', create('Server'), { input: server({ mask: 129 }) }, 'input.mask'),
  row('safe requiredVotes -1', create('Safe'), { input: safe({ requiredVotes: -1 }) }, 'input.requiredVotes'),
  row(
    'listener listenPort 65536',
    create('Listener'),
    { input: listener({ listenPort: 65536 }) },
    'input.listenPort',
  ),
  row(
    'listener externalPort 0',
    create('Listener'),
    { input: listener({ externalAddress: 'pam.example.com', externalPort: 0 }) },
    'input.externalPort',
  ),
  // IP address formats.
  ...(['garbage', '010.0.0.1', '10.0.0.1:22'] as const).flatMap((bad) => [
    row(`server address ${bad}`, create('Server'), { input: server({ address: bad }) }, 'input.address'),
    row(`server bindIp ${bad}`, create('Server'), { input: server({ bindIp: bad }) }, 'input.bindIp'),
    row(
      `listener listenIp ${bad}`,
      create('Listener'),
      { input: listener({ listenIp: bad }) },
      'input.listenIp',
    ),
  ]),
  row(
    'server address on updateServer',
    update('Server'),
    { id: '1', input: { address: '1.2.3' } },
    'input.address',
  ),
  // blocked: true needs a reason.
  row(
    'server blocked without reason',
    create('Server'),
    { input: server({ blocked: true }) },
    'input.reason',
  ),
  row(
    'safe blocked with an empty reason',
    create('Safe'),
    { input: safe({ blocked: true, reason: '' }) },
    'input.reason',
  ),
  row(
    'listener blocked without reason',
    create('Listener'),
    { input: listener({ blocked: true }) },
    'input.reason',
  ),
  row(
    'user blocked with a null reason',
    create('User'),
    { input: user({ blocked: true, reason: null }) },
    'input.reason',
  ),
  row(
    'server patch blocking and clearing the reason',
    update('Server'),
    { id: '1', input: { blocked: true, reason: null } },
    'input.reason',
  ),
  // Credentials by account type.
  row(
    'anonymous account with credentials',
    create('Account'),
    { input: account({ type: 'ANONYMOUS', credentials: { login: 'x' } }) },
    'input.credentials',
  ),
  row(
    'regular account without credentials',
    create('Account'),
    { input: account({ credentials: undefined }) },
    'input.credentials',
  ),
  row(
    'forward account with null credentials',
    create('Account'),
    { input: account({ type: 'FORWARD', credentials: null }) },
    'input.credentials',
  ),
  row(
    'regular account without method',
    create('Account'),
    { input: account({ credentials: credentials({ method: undefined, secret: undefined }) }) },
    'input.credentials.method',
  ),
  row(
    'regular account without password change policy',
    create('Account'),
    { input: account({ credentials: credentials({ passwordChangePolicyId: undefined }) }) },
    'input.credentials.passwordChangePolicyId',
  ),
  row(
    'method PASSWORD without secret',
    create('Account'),
    { input: account({ credentials: credentials({ secret: undefined }) }) },
    'input.credentials.secret',
  ),
  row(
    'method PASSWORD with an empty secret',
    create('Account'),
    { input: account({ credentials: credentials({ secret: '' }) }) },
    'input.credentials.secret',
  ),
  row(
    'method SSH_KEY without privateKey',
    create('Account'),
    { input: account({ credentials: credentials({ method: 'SSH_KEY', secret: undefined }) }) },
    'input.credentials.privateKey',
  ),
  // Password changers.
  row(
    'changer 4 without the ssh fields',
    create('Account'),
    { input: withChangers(changer({ changerId: 4 })) },
    'input.passwordChangers.0.sshUsername',
    'input.passwordChangers.0.sshPassword',
    'input.passwordChangers.0.sshHost',
    'input.passwordChangers.0.sshPort',
  ),
  row(
    'changer 4 without sshPassword only',
    create('Account'),
    {
      input: withChangers(changer({ changerId: 4, sshUsername: 'u', sshHost: 'h', sshPort: '22' })),
    },
    'input.passwordChangers.0.sshPassword',
  ),
  ...[5, 6, 7, 8].map((changerId) =>
    row(
      `changer ${changerId} without privilegedModePassword`,
      create('Account'),
      { input: withChangers(changer(), changer({ changerId, position: 1 })) },
      'input.passwordChangers.1.privilegedModePassword',
    ),
  ),
  row(
    'changer 7 without privilegedModePassword on updateAccount',
    update('Account'),
    { id: '1', input: { passwordChangers: [changer({ changerId: 7 })] } },
    'input.passwordChangers.0.privilegedModePassword',
  ),
  // Cross-field rules.
  row(
    'passwordRecovery on a forward account',
    create('Account'),
    { input: account({ type: 'FORWARD', credentials: { login: 'svc' }, passwordRecovery: true }) },
    'input.passwordRecovery',
  ),
  row(
    'bastion listener without listenPort',
    create('Listener'),
    { input: listener({ mode: 'BASTION' }) },
    'input.listenPort',
  ),
  row(
    'proxy listener without listenPort',
    create('Listener'),
    { input: listener({ mode: 'PROXY' }) },
    'input.listenPort',
  ),
  row(
    'proxy listener patch clearing listenPort',
    update('Listener'),
    { id: '1', input: { mode: 'PROXY', listenPort: null } },
    'input.listenPort',
  ),
  row(
    'externalAddress without externalPort',
    create('Listener'),
    { input: listener({ externalAddress: 'pam.example.com' }) },
    'input.externalPort',
  ),
  // Formats.
  row('user e-mail malformed', create('User'), { input: user({ email: 'not-an-address' }) }, 'input.email'),
  row(
    'user e-mail with a space',
    replace('User'),
    { id: '1', input: user({ email: 'a b@example.com' }) },
    'input.email',
  ),
  row(
    'passwordCheckoutTimeLimit not hh:mm:ss',
    create('Account'),
    { input: account({ passwordCheckoutTimeLimit: '1:30' }) },
    'input.passwordCheckoutTimeLimit',
  ),
  row(
    'passwordCheckoutTimeLimit with 60 minutes',
    create('Account'),
    { input: account({ passwordCheckoutTimeLimit: '01:60:00' }) },
    'input.passwordCheckoutTimeLimit',
  ),
  row(
    'passwordChangeRequest not a date-time',
    create('Account'),
    { input: account({ passwordChangeRequest: 'tomorrow' }) },
    'input.passwordChangeRequest',
  ),
  // Audit field lengths and time.
  row(
    'audit organization of 26',
    create('AuditEntry'),
    { input: audit({ organization: 'o'.repeat(26) }) },
    'input.organization',
  ),
  row(
    'audit organization empty',
    create('AuditEntry'),
    { input: audit({ organization: '' }) },
    'input.organization',
  ),
  row(
    'audit connectionProtocol of 26',
    create('AuditEntry'),
    { input: audit({ connectionProtocol: 'p'.repeat(26) }) },
    'input.connectionProtocol',
  ),
  row(
    'audit error of 2001',
    create('AuditEntry'),
    { input: audit({ error: 'e'.repeat(2001) }) },
    'input.error',
  ),
  row(
    'audit ipAddress of 226',
    create('AuditEntry'),
    { input: audit({ ipAddress: '1'.repeat(226) }) },
    'input.ipAddress',
  ),
  row(
    'audit lastUpdateTime not a date-time',
    create('AuditEntry'),
    { input: audit({ lastUpdateTime: '2025-02-30T10:00:00Z' }) },
    'input.lastUpdateTime',
  ),
  row(
    'audit error of 2001 on replaceAuditEntry',
    replace('AuditEntry'),
    { id: '0123456789abcdef01234567', input: audit({ error: 'e'.repeat(2001) }) },
    'input.error',
  ),
  // Ids that cannot name the expected object.
  row(
    'serverId not an id',
    create('Account'),
    { input: account({ serverId: 'not-an-id' }) },
    'input.serverId',
  ),
  row(
    'serverId of a User',
    create('Account'),
    { input: account({ serverId: globalId('User', 1) }) },
    'input.serverId',
  ),
  row(
    'passwordChangePolicyId of a Server',
    create('Account'),
    { input: account({ credentials: credentials({ passwordChangePolicyId: globalId('Server', 1) }) }) },
    'input.credentials.passwordChangePolicyId',
  ),
  row('updateServer id not an id', update('Server'), { id: 'not-an-id', input: { name: 'x' } }, 'id'),
  row('replaceSafe id of a Server', replace('Safe'), { id: globalId('Server', 1), input: safe() }, 'id'),
  row(
    'deleteListener id of a User',
    { field: 'deleteListener', args: { id: 'ID!' } },
    { id: globalId('User', 1) },
    'id',
  ),
  row('deleteUser id not an id', { field: 'deleteUser', args: { id: 'ID!' } }, { id: 'not-an-id' }, 'id'),
  row(
    'grantAccountManagement userId of an Account',
    { field: 'grantAccountManagement', args: { accountId: 'ID!', userId: 'ID!' } },
    { accountId: '1', userId: globalId('Account', 1) },
    'userId',
  ),
  row(
    'assignAccountToSafe listenerId not an id',
    { field: 'assignAccountToSafe', args: { safeId: 'ID!', accountId: 'ID!', listenerId: 'ID!' } },
    { safeId: '1', accountId: '1', listenerId: 'not-an-id' },
    'listenerId',
  ),
  row('replaceAuditEntry id not an id', replace('AuditEntry'), { id: 'not-an-id', input: audit() }, 'id'),
  row(
    'deleteAuditEntry id of a Server',
    { field: 'deleteAuditEntry', args: { id: 'ID!' } },
    { id: globalId('Server', 1) },
    'id',
  ),
];
