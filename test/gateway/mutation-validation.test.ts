/**
 * Acceptance of the gateway-side write rules: for every rule the gateway checks itself, a mutation that breaks
 * it answers the typed `ValidationError` result with the exact issue path, and neither simulator receives a
 * single request. What the GraphQL type system rejects (unknown enum value, missing non-null field, malformed
 * scalar) is a GraphQL error instead, also with no upstream request. Finally the PATCH/PUT asymmetry of
 * credentials: a patch may leave the secret out (the stored one is kept), a replace may not.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SimulatorWriter } from '../support/seed.js';
import { type GraphQLResponse, type Stack, startStack } from '../support/stack.js';

/** A global ID as the gateway issues them (base64url of `pg1:<Type>:<id>`), built independently here. */
const globalId = (typename: string, id: number | string): string =>
  Buffer.from(`pg1:${typename}:${id}`, 'utf8').toString('base64url');

interface Issue {
  path: string;
  message: string;
}

interface Result {
  __typename: string;
  message?: string;
  issues?: Issue[];
}

type Variables = Record<string, unknown>;

const SELECTION =
  '{ __typename ... on ValidationError { message issues { path message } } ... on MutationError { message } }';

/** `mutation($a: T, …) { result: field(a: $a, …) { … } }` for the given argument types. */
function mutationDoc(field: string, args: Readonly<Record<string, string>>, selection = SELECTION): string {
  const declared = Object.entries(args)
    .map(([name, type]) => `$${name}: ${type}`)
    .join(', ');
  const passed = Object.keys(args)
    .map((name) => `${name}: $${name}`)
    .join(', ');
  return `mutation(${declared}) { result: ${field}(${passed}) ${selection} }`;
}

const INPUT_TYPES: Readonly<Record<string, string>> = {
  Account: 'AccountInput!',
  Server: 'ServerInput!',
  Safe: 'SafeInput!',
  Listener: 'ListenerInput!',
  User: 'UserInput!',
  AuditEntry: 'AuditEntryInput!',
};
const PATCH_TYPES: Readonly<Record<string, string>> = {
  Account: 'AccountPatch!',
  Server: 'ServerPatch!',
  Safe: 'SafePatch!',
  Listener: 'ListenerPatch!',
  User: 'UserPatch!',
};

function inputType(table: Readonly<Record<string, string>>, typename: string): string {
  const type = table[typename];
  if (type === undefined) throw new Error(`no input type for ${typename}`);
  return type;
}

/** `create<T>(input:)`. */
const create = (typename: string) => ({
  field: `create${typename}`,
  args: { input: inputType(INPUT_TYPES, typename) },
});
/** `replace<T>(id:, input:)`. */
const replace = (typename: string) => ({
  field: `replace${typename}`,
  args: { id: 'ID!', input: inputType(INPUT_TYPES, typename) },
});
/** `update<T>(id:, input:)`. */
const update = (typename: string) => ({
  field: `update${typename}`,
  args: { id: 'ID!', input: inputType(PATCH_TYPES, typename) },
});

// Valid inputs; each row breaks exactly one rule of one of them.
const server = (o: Variables = {}): Variables => ({
  name: 'srv-v',
  address: '10.0.0.1',
  port: 22,
  protocol: 'SSH',
  ...o,
});
const credentials = (o: Variables = {}): Variables => ({
  login: 'root',
  method: 'PASSWORD',
  secret: 'pw-valid',
  passwordChangePolicyId: '1',
  ...o,
});
const account = (o: Variables = {}): Variables => ({
  name: 'acc-v',
  type: 'REGULAR',
  serverId: '1',
  credentials: credentials(),
  ...o,
});
const changer = (o: Variables = {}): Variables => ({ changerId: 1, position: 0, timeout: 60, ...o });
const withChangers = (...changers: Variables[]): Variables => account({ passwordChangers: changers });
const safe = (o: Variables = {}): Variables => ({ name: 'safe-v', ...o });
const listener = (o: Variables = {}): Variables => ({
  name: 'lst-v',
  mode: 'GATEWAY',
  protocol: 'SSH',
  ...o,
});
const user = (o: Variables = {}): Variables => ({ name: 'usr-v', role: 'USER', ...o });
const audit = (o: Variables = {}): Variables => ({ organization: 'acme-networks', ...o });

interface Row {
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

const ROWS: Row[] = [
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

let stack: Stack;
let seeded: { serverId: number; accountId: number; accountName: string };

beforeAll(async () => {
  stack = await startStack({ simulators: { empty: true } });
  const { sims } = stack;
  const writer = new SimulatorWriter(
    sims.pam.url,
    sims.credentials.pam.superadminToken,
    sims.audit.url,
    sims.credentials.audit.primaryKey,
  );
  const srv = await writer.server('seed-srv', '192.0.2.10', 'ssh', 22);
  const accountName = 'seed-acc';
  const acc = await writer.account(accountName, srv.id, 'root');
  seeded = { serverId: srv.id, accountId: acc.id, accountName };
});

afterAll(async () => {
  await stack?.stop();
});

beforeEach(() => {
  stack.resetRecords();
});

function upstreamRequests(): number {
  return stack.sims.pam.requests.count + stack.sims.audit.requests.count;
}

function resultOf(response: GraphQLResponse<{ result: Result }>): Result {
  expect(response.errors).toBeUndefined();
  const result = response.data?.result;
  if (result === undefined) throw new Error(`no result: ${response.text}`);
  return result;
}

const sorted = (paths: readonly string[]): string[] => [...paths].sort();

describe('every gateway-side rule answers a ValidationError and sends nothing upstream', () => {
  it.each(ROWS.map((r) => [r.rule, r] as const))('%s', async (_rule, r) => {
    const response = await stack.query<{ result: Result }>(mutationDoc(r.field, r.args), r.variables);
    const result = resultOf(response);
    expect(result.__typename).toBe('ValidationError');
    const issues = result.issues ?? [];
    expect(sorted(issues.map((issue) => issue.path))).toEqual(sorted(r.paths));
    for (const issue of issues) expect(issue.message).toMatch(/\S/);
    expect(result.message).toBe(
      r.paths.length === 1 ? 'The input has a problem.' : `The input has ${r.paths.length} problems.`,
    );
    expect(upstreamRequests()).toBe(0);
  });

  it('covers each mutation kind the rules apply to', () => {
    const fields = new Set(ROWS.map((r) => r.field));
    for (const typename of ['Account', 'Server', 'Safe', 'Listener', 'User', 'AuditEntry']) {
      expect(fields.has(`create${typename}`)).toBe(true);
    }
  });
});

describe('several problems are reported together in one result', () => {
  it('a server breaking six rules gets six issues', async () => {
    const input = server({
      name: '',
      address: 'garbage',
      port: 0,
      mask: 129,
      bindIp: '10.0.0.1:22',
      blocked: true,
    });
    const result = resultOf(
      await stack.query<{ result: Result }>(mutationDoc('createServer', create('Server').args), { input }),
    );
    expect(result.__typename).toBe('ValidationError');
    expect(sorted((result.issues ?? []).map((i) => i.path))).toEqual(
      sorted(['input.name', 'input.address', 'input.port', 'input.mask', 'input.bindIp', 'input.reason']),
    );
    expect(result.message).toBe('The input has 6 problems.');
    expect(upstreamRequests()).toBe(0);
  });

  it('an account breaking rules at three depths gets every issue', async () => {
    const input = account({
      name: '',
      retention: 0,
      credentials: credentials({ secret: undefined }),
      passwordChangers: [changer({ timeout: 0 }), changer({ changerId: 8, position: -1 })],
    });
    const result = resultOf(
      await stack.query<{ result: Result }>(mutationDoc('createAccount', create('Account').args), { input }),
    );
    expect(result.__typename).toBe('ValidationError');
    expect(sorted((result.issues ?? []).map((i) => i.path))).toEqual(
      sorted([
        'input.name',
        'input.retention',
        'input.credentials.secret',
        'input.passwordChangers.0.timeout',
        'input.passwordChangers.1.position',
        'input.passwordChangers.1.privilegedModePassword',
      ]),
    );
    expect(upstreamRequests()).toBe(0);
  });

  it('an audit entry breaking four length limits gets four issues', async () => {
    const input = audit({
      organization: 'o'.repeat(26),
      connectionProtocol: 'p'.repeat(26),
      error: 'e'.repeat(2001),
      ipAddress: '1'.repeat(226),
    });
    const result = resultOf(
      await stack.query<{ result: Result }>(mutationDoc('createAuditEntry', create('AuditEntry').args), {
        input,
      }),
    );
    expect(result.__typename).toBe('ValidationError');
    expect(sorted((result.issues ?? []).map((i) => i.path))).toEqual(
      sorted(['input.organization', 'input.connectionProtocol', 'input.error', 'input.ipAddress']),
    );
    expect(upstreamRequests()).toBe(0);
  });
});

describe('what the GraphQL type system rejects is a GraphQL error, with no upstream request', () => {
  const CASES: Array<[string, string, Variables | undefined]> = [
    [
      'unknown enum value (literal)',
      `mutation { result: createServer(input: {name: "s", address: "10.0.0.1", port: 22, protocol: GOPHER}) ${SELECTION} }`,
      undefined,
    ],
    [
      'unknown enum value (variable)',
      mutationDoc('createServer', create('Server').args),
      { input: server({ protocol: 'GOPHER' }) },
    ],
    [
      'missing non-null input field (literal)',
      `mutation { result: createServer(input: {name: "s", address: "10.0.0.1", protocol: SSH}) ${SELECTION} }`,
      undefined,
    ],
    [
      'missing non-null input field (variable)',
      mutationDoc('createServer', create('Server').args),
      { input: server({ port: undefined }) },
    ],
    [
      'missing non-null nested field (variable)',
      mutationDoc('createAccount', create('Account').args),
      { input: account({ passwordChangers: [{ changerId: 1, position: 0 }] }) },
    ],
    ['missing required argument', `mutation { result: createSafe ${SELECTION} }`, undefined],
    [
      'string for port (literal)',
      `mutation { result: createServer(input: {name: "s", address: "10.0.0.1", port: "22", protocol: SSH}) ${SELECTION} }`,
      undefined,
    ],
    [
      'string for port (variable)',
      mutationDoc('createServer', create('Server').args),
      { input: server({ port: '22' }) },
    ],
    [
      'fractional number for timeout (variable)',
      mutationDoc('createAccount', create('Account').args),
      { input: withChangers(changer({ timeout: 1.5 })) },
    ],
    [
      'unknown input field (variable)',
      mutationDoc('createUser', create('User').args),
      { input: user({ nickname: 'x' }) },
    ],
    ['null for a non-null variable', mutationDoc('createSafe', create('Safe').args), { input: null }],
  ];

  it.each(CASES)('%s', async (_name, document, variables) => {
    const response = await stack.query<{ result: Result }>(document, variables);
    expect(response.data).toBeUndefined();
    expect(response.errors?.length ?? 0).toBeGreaterThan(0);
    for (const error of response.errors ?? []) expect(error.message).toMatch(/\S/);
    expect(upstreamRequests()).toBe(0);
  });
});

describe('credentials on PATCH keep the stored secret; on PUT they must carry it', () => {
  const PAYLOAD = `{ __typename ... on ValidationError { message issues { path message } } ... on UpdateAccountPayload { account { name } } }`;

  it('updateAccount with credentials but no secret is not a validation error and keeps the secret', async () => {
    const before = stack.sims.pam.state.accounts.get(seeded.accountId)?.credentials?.secret;
    expect(before).toBe(`pw-${seeded.accountName}`);
    const response = await stack.query<{ result: Result & { account?: { name: string } } }>(
      mutationDoc('updateAccount', update('Account').args, PAYLOAD),
      { id: String(seeded.accountId), input: { credentials: { login: 'admin2', method: 'PASSWORD' } } },
    );
    const result = resultOf(response);
    expect(result).toEqual({ __typename: 'UpdateAccountPayload', account: { name: seeded.accountName } });
    const writes = stack.sims.pam.requests.list().filter((r) => r.method !== 'GET');
    expect(writes.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `PATCH /api/system/accounts/${seeded.accountId} 200`,
    ]);
    const stored = stack.sims.pam.state.accounts.get(seeded.accountId)?.credentials;
    expect(stored?.login).toBe('admin2');
    expect(stored?.secret).toBe(`pw-${seeded.accountName}`);
  });

  it('replaceAccount with the same credentials and no secret is a ValidationError at input.credentials.secret', async () => {
    const input = account({
      name: seeded.accountName,
      serverId: String(seeded.serverId),
      credentials: credentials({ login: 'admin2', secret: undefined }),
    });
    const result = resultOf(
      await stack.query<{ result: Result }>(mutationDoc('replaceAccount', replace('Account').args), {
        id: String(seeded.accountId),
        input,
      }),
    );
    expect(result.__typename).toBe('ValidationError');
    expect((result.issues ?? []).map((i) => i.path)).toEqual(['input.credentials.secret']);
    expect(upstreamRequests()).toBe(0);
    expect(stack.sims.pam.state.accounts.get(seeded.accountId)?.credentials?.secret).toBe(
      `pw-${seeded.accountName}`,
    );
  });

  it('updateAccount that sends method PASSWORD with an empty secret is a ValidationError', async () => {
    const result = resultOf(
      await stack.query<{ result: Result }>(mutationDoc('updateAccount', update('Account').args), {
        id: String(seeded.accountId),
        input: { credentials: { login: 'admin3', method: 'PASSWORD', secret: '' } },
      }),
    );
    expect(result.__typename).toBe('ValidationError');
    expect((result.issues ?? []).map((i) => i.path)).toEqual(['input.credentials.secret']);
    expect(upstreamRequests()).toBe(0);
  });
});
