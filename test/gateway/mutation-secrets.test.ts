/**
 * Write-only secrets go to the upstream once and nowhere else. A distinct canary is set through each secret
 * input of the write path — account `credentials.secret` and `credentials.privateKey`, password-changer
 * `privilegedModePassword`, `privilegedPassword` and `sshPassword`, user `password`, audit `devicePassword`
 * and `enablePassword` — in writes that succeed, fail gateway validation, fail upstream (also against an
 * upstream that echoes the body back in its error), time out, and fail GraphQL variable coercion. Each
 * successful write must have reached the simulator exactly once and be stored there; no response, no error
 * and no gateway log line may contain any canary.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { DocumentNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../src/simulator/index.js';
import {
  CanaryCreateAccountDocument,
  CanaryCreateAuditEntryDocument,
  CanaryCreateUserDocument,
  CanaryReplaceAccountDocument,
  CanaryReplaceAuditEntryDocument,
  CanaryReplaceUserDocument,
  CanaryUpdateAccountDocument,
  CanaryUpdateUserDocument,
  CreateServerDocument,
} from '../gql/graphql.js';
import { type Behaviour, type FaultServer, hang, startFaultServer } from '../support/fault-server.js';
import { callSimulator, SimulatorWriter } from '../support/seed.js';
import { type GraphQLResponse, type Stack, startStack } from '../support/stack.js';

type Variables = Record<string, unknown>;

/** Every canary handed out, so that every check looks for all of them. */
const canaries: string[] = [];
function canary(kind: string): string {
  const value = `CANARY-${kind}-${randomBytes(6).toString('hex')}`;
  canaries.push(value);
  return value;
}

function expectNoCanary(text: string, where: string): void {
  const found = canaries.filter((c) => text.includes(c));
  expect(found, `canary in ${where}`).toEqual([]);
}

interface Issue {
  path: string;
  message: string;
}

interface Result {
  __typename: string;
  message?: string;
  issues?: Issue[];
  entity?: {
    id: string;
    pamId?: string;
    auditId?: string;
    name?: string;
    hasDevicePassword?: boolean;
    hasEnablePassword?: boolean;
  };
}

/** Every stack used: its log must be free of canaries at the end. */
const stacks: Stack[] = [];
/** Every response text seen. */
const responses: string[] = [];

async function send(
  stack: Stack,
  document: CanaryDocument,
  variables: Variables,
): Promise<GraphQLResponse<{ result: Result }>> {
  const response = await stack.query<{ result: Result }>(document, variables);
  responses.push(response.text);
  expectNoCanary(response.text, 'a response');
  for (const error of response.errors ?? []) expectNoCanary(JSON.stringify(error), 'an error');
  return response;
}

function resultOf(response: GraphQLResponse<{ result: Result }>): Result {
  expect(response.errors).toBeUndefined();
  const result = response.data?.result;
  if (result === undefined) throw new Error(`no result: ${response.text}`);
  return result;
}

/**
 * The typed documents of the writes (test/operations/mutation-secrets.graphql): one result shape, `result` with
 * its object as `entity`, for accounts, users and audit entries; variables as each case builds them.
 */
type CanaryDocument = TypedDocumentNode<{ result: Result }, Variables>;
const canaryDocument = (document: DocumentNode): CanaryDocument => document;

const DOCS = {
  createAccount: canaryDocument(CanaryCreateAccountDocument),
  updateAccount: canaryDocument(CanaryUpdateAccountDocument),
  replaceAccount: canaryDocument(CanaryReplaceAccountDocument),
  createUser: canaryDocument(CanaryCreateUserDocument),
  updateUser: canaryDocument(CanaryUpdateUserDocument),
  replaceUser: canaryDocument(CanaryReplaceUserDocument),
  createAuditEntry: canaryDocument(CanaryCreateAuditEntryDocument),
  replaceAuditEntry: canaryDocument(CanaryReplaceAuditEntryDocument),
} as const;

const ORGANIZATION = 'acme-networks';
const OTHER_ORGANIZATION = 'globex-telecom';

/**
 * An account secret input: where the canary goes in a whole account (create/replace) and in a patch, and
 * where the simulator stores it.
 */
interface AccountSecret {
  kind: string;
  /** The part of the account that carries the canary (credentials and/or passwordChangers). */
  part(secret: string): Variables;
  stored(account: StoredAccount | undefined): string | null | undefined;
}

interface StoredAccount {
  credentials: { secret: string | null; privateKey: string | null } | null;
  changers: Array<{
    privilegedModePassword: string | null;
    privilegedPassword: string | null;
    sshPassword: string | null;
  }>;
}

const POLICY = '1';
const ACCOUNT_SECRETS: AccountSecret[] = [
  {
    kind: 'secret',
    part: (secret) => ({
      credentials: { login: 'root', method: 'PASSWORD', secret, passwordChangePolicyId: POLICY },
    }),
    stored: (a) => a?.credentials?.secret,
  },
  {
    kind: 'privateKey',
    part: (privateKey) => ({
      credentials: { login: 'root', method: 'SSH_KEY', privateKey, passwordChangePolicyId: POLICY },
    }),
    stored: (a) => a?.credentials?.privateKey,
  },
  {
    kind: 'privilegedModePassword',
    part: (privilegedModePassword) => ({
      passwordChangers: [{ changerId: 7, position: 0, timeout: 60, privilegedModePassword }],
    }),
    stored: (a) => a?.changers[0]?.privilegedModePassword,
  },
  {
    kind: 'privilegedPassword',
    part: (privilegedPassword) => ({
      passwordChangers: [
        { changerId: 1, position: 0, timeout: 60, privilegedUsername: 'enable', privilegedPassword },
      ],
    }),
    stored: (a) => a?.changers[0]?.privilegedPassword,
  },
  {
    kind: 'sshPassword',
    part: (sshPassword) => ({
      passwordChangers: [
        {
          changerId: 4,
          position: 0,
          timeout: 60,
          sshUsername: 'mysql',
          sshPassword,
          sshHost: '192.0.2.20',
          sshPort: '22',
        },
      ],
    }),
    stored: (a) => a?.changers[0]?.sshPassword,
  },
];

/** Credentials that need no secret of their own, for the changer kinds (which carry theirs in the list). */
const PLAIN_CREDENTIALS = {
  credentials: { login: 'root', method: 'ACCOUNT', passwordChangePolicyId: POLICY },
};

function wholeAccount(name: string, serverId: number, spec: AccountSecret, secret: string): Variables {
  return {
    name,
    type: 'REGULAR',
    serverId: String(serverId),
    ...PLAIN_CREDENTIALS,
    ...spec.part(secret),
  };
}

const writesOf = (records: RecordedRequest[]): string[] =>
  records.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path} ${r.status}`);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------------------
// The main stack: real simulators.

let stack: Stack;
let serverId: number;
let writer: SimulatorWriter;

beforeAll(async () => {
  stack = await startStack({ simulators: { empty: true } });
  stacks.push(stack);
  const { sims } = stack;
  writer = new SimulatorWriter(
    sims.pam.url,
    sims.credentials.pam.superadminToken,
    sims.audit.url,
    sims.credentials.audit.primaryKey,
  );
  serverId = (await writer.server('secrets-srv', '192.0.2.10', 'ssh', 22)).id;
});

afterAll(async () => {
  await stack?.stop();
});

function pamWrites(): string[] {
  return writesOf(stack.sims.pam.requests.list());
}

function upstreamCount(): number {
  return stack.sims.pam.requests.count + stack.sims.audit.requests.count;
}

describe.each(ACCOUNT_SECRETS.map((s) => [s.kind, s] as const))('account input %s', (kind, spec) => {
  const name = `acc-${kind}`;
  let accountId = 0;
  const stored = () => spec.stored(stack.sims.pam.state.accounts.get(accountId));

  it('createAccount stores the canary with exactly one POST and returns none of it', async () => {
    const secret = canary(`${kind}-create`);
    stack.resetRecords();
    const result = resultOf(
      await send(stack, DOCS.createAccount, { input: wholeAccount(name, serverId, spec, secret) }),
    );
    expect(result.__typename).toBe('CreateAccountPayload');
    accountId = Number(result.entity?.pamId);
    expect(result.entity?.name).toBe(name);
    expect(pamWrites()).toEqual(['POST /api/system/accounts 201']);
    expect(stored()).toBe(secret);
  });

  it('updateAccount stores a new canary with exactly one PATCH', async () => {
    const secret = canary(`${kind}-update`);
    stack.resetRecords();
    const result = resultOf(
      await send(stack, DOCS.updateAccount, { id: String(accountId), input: spec.part(secret) }),
    );
    expect(result.__typename).toBe('UpdateAccountPayload');
    expect(pamWrites()).toEqual([`PATCH /api/system/accounts/${accountId} 200`]);
    expect(stored()).toBe(secret);
  });

  it('replaceAccount stores a new canary with exactly one PUT', async () => {
    const secret = canary(`${kind}-replace`);
    stack.resetRecords();
    const result = resultOf(
      await send(stack, DOCS.replaceAccount, {
        id: String(accountId),
        input: wholeAccount(name, serverId, spec, secret),
      }),
    );
    expect(result.__typename).toBe('ReplaceAccountPayload');
    expect(pamWrites()).toEqual([`PUT /api/system/accounts/${accountId} 200`]);
    expect(stored()).toBe(secret);
  });

  it('failing gateway validation sends nothing and echoes no canary (create, update, replace)', async () => {
    const before = stored();
    stack.resetRecords();
    const bad = (secret: string) => ({ ...wholeAccount(name, serverId, spec, secret), retention: 0 });
    const calls: Array<[CanaryDocument, Variables]> = [
      [DOCS.createAccount, { input: bad(canary(`${kind}-invalid-create`)) }],
      [
        DOCS.updateAccount,
        { id: String(accountId), input: { ...spec.part(canary(`${kind}-invalid-update`)), name: '' } },
      ],
      [DOCS.replaceAccount, { id: String(accountId), input: bad(canary(`${kind}-invalid-replace`)) }],
    ];
    for (const [document, variables] of calls) {
      const result = resultOf(await send(stack, document, variables));
      expect(result.__typename).toBe('ValidationError');
      expect((result.issues ?? []).length).toBe(1);
    }
    expect(upstreamCount()).toBe(0);
    expect(stored()).toBe(before);
  });

  it('failing upstream (duplicate name, unknown server, unknown id) echoes no canary', async () => {
    const before = stored();
    stack.resetRecords();
    const duplicate = resultOf(
      await send(stack, DOCS.createAccount, {
        input: wholeAccount(name.toUpperCase(), serverId, spec, canary(`${kind}-duplicate`)),
      }),
    );
    expect(duplicate.__typename).toBe('ValidationError');
    expect((duplicate.issues ?? []).map((i) => i.path)).toEqual(['input.name']);

    const unknownServer = resultOf(
      await send(stack, DOCS.createAccount, {
        input: wholeAccount(`${name}-2`, 999_999, spec, canary(`${kind}-unknown-server`)),
      }),
    );
    expect(unknownServer.__typename).toBe('ValidationError');
    expect((unknownServer.issues ?? []).map((i) => i.path)).toEqual(['input.serverId']);

    const unknownId = resultOf(
      await send(stack, DOCS.updateAccount, { id: '999999', input: spec.part(canary(`${kind}-unknown-id`)) }),
    );
    expect(unknownId.__typename).toBe('NotFoundError');

    // Each reached the upstream once (so it got the body), was refused, and nothing was stored.
    expect(pamWrites()).toEqual([
      'POST /api/system/accounts 400',
      'POST /api/system/accounts 400',
      'PATCH /api/system/accounts/999999 404',
    ]);
    expect(stack.sims.pam.state.accounts.size).toBe(ACCOUNT_SECRETS.indexOf(spec) + 1);
    expect(stored()).toBe(before);
  });
});

describe('user input password', () => {
  let userId = 0;
  const name = 'usr-password';
  const login = async (password: string): Promise<number> => {
    const response = await callSimulator(stack.sims.pam.url, 'POST', '/api/system/login', {
      body: { username: name, password },
    });
    return response.status;
  };

  it('createUser stores the canary (it logs in) with exactly one POST', async () => {
    const password = canary('password-create');
    stack.resetRecords();
    const result = resultOf(
      await send(stack, DOCS.createUser, { input: { name, role: 'OPERATOR', password } }),
    );
    expect(result.__typename).toBe('CreateUserPayload');
    userId = Number(result.entity?.pamId);
    expect(pamWrites()).toEqual(['POST /api/system/users 201']);
    expect(await login(password)).toBe(200);
    expect(await login(`${password}-wrong`)).toBe(401);
  });

  it('updateUser stores a new canary with exactly one PATCH', async () => {
    const password = canary('password-update');
    stack.resetRecords();
    const result = resultOf(await send(stack, DOCS.updateUser, { id: String(userId), input: { password } }));
    expect(result.__typename).toBe('UpdateUserPayload');
    expect(pamWrites()).toEqual([`PATCH /api/system/users/${userId} 200`]);
    expect(await login(password)).toBe(200);
  });

  it('replaceUser stores a new canary with exactly one PUT', async () => {
    const password = canary('password-replace');
    stack.resetRecords();
    const result = resultOf(
      await send(stack, DOCS.replaceUser, {
        id: String(userId),
        input: { name, role: 'OPERATOR', password },
      }),
    );
    expect(result.__typename).toBe('ReplaceUserPayload');
    expect(pamWrites()).toEqual([`PUT /api/system/users/${userId} 200`]);
    expect(await login(password)).toBe(200);
    expect(stack.sims.pam.state.users.get(userId)?.password).toBe(password);
  });

  it('failing gateway validation sends nothing and echoes no canary', async () => {
    const before = stack.sims.pam.state.users.get(userId)?.password;
    stack.resetRecords();
    const calls: Array<[CanaryDocument, Variables]> = [
      [
        DOCS.createUser,
        {
          input: { name: 'usr-2', role: 'USER', email: 'nope', password: canary('password-invalid-create') },
        },
      ],
      [
        DOCS.updateUser,
        {
          id: String(userId),
          input: { blocked: true, reason: '', password: canary('password-invalid-update') },
        },
      ],
      [
        DOCS.replaceUser,
        {
          id: String(userId),
          input: { name: '', role: 'USER', password: canary('password-invalid-replace') },
        },
      ],
    ];
    for (const [document, variables] of calls) {
      const result = resultOf(await send(stack, document, variables));
      expect(result.__typename).toBe('ValidationError');
      expect((result.issues ?? []).length).toBe(1);
    }
    expect(upstreamCount()).toBe(0);
    expect(stack.sims.pam.state.users.get(userId)?.password).toBe(before);
  });

  it('failing upstream (duplicate name, unknown id) echoes no canary', async () => {
    stack.resetRecords();
    const duplicate = resultOf(
      await send(stack, DOCS.createUser, {
        input: { name: name.toUpperCase(), role: 'USER', password: canary('password-duplicate') },
      }),
    );
    expect(duplicate.__typename).toBe('ValidationError');
    expect((duplicate.issues ?? []).map((i) => i.path)).toEqual(['input.name']);
    const unknown = resultOf(
      await send(stack, DOCS.replaceUser, {
        id: '999999',
        input: { name: 'usr-ghost', role: 'USER', password: canary('password-unknown-id') },
      }),
    );
    expect(unknown.__typename).toBe('NotFoundError');
    expect(pamWrites()).toEqual(['POST /api/system/users 400', 'PUT /api/system/users/999999 404']);
  });
});

describe.each([
  ['devicePassword', 'dpassword'],
  ['enablePassword', 'denable_password'],
] as const)('audit input %s', (field, upstreamField) => {
  let auditId = '';
  const auditWrites = () => writesOf(stack.sims.audit.requests.list());
  const storedValue = async (): Promise<unknown> => {
    const response = await callSimulator<Record<string, unknown>>(
      stack.sims.audit.url,
      'GET',
      `/ux/nccm/jobs-account-audit/${auditId}/`,
      { auth: stack.sims.credentials.audit.primaryKey },
    );
    expect(response.status).toBe(200);
    return response.body[upstreamField];
  };
  const entry = (secret: string, extra: Variables = {}): Variables => ({
    organization: ORGANIZATION,
    ipAddress: '192.0.2.10',
    deviceAccount: 'root',
    connectionProtocol: 'ssh',
    [field]: secret,
    ...extra,
  });

  it('createAuditEntry stores the canary with exactly one POST and returns none of it', async () => {
    const secret = canary(`${field}-create`);
    stack.resetRecords();
    const result = resultOf(await send(stack, DOCS.createAuditEntry, { input: entry(secret) }));
    expect(result.__typename).toBe('CreateAuditEntryPayload');
    auditId = result.entity?.auditId ?? '';
    expect(auditId).toMatch(/^[0-9a-f]{24}$/);
    expect(result.entity?.hasDevicePassword).toBe(field === 'devicePassword');
    expect(result.entity?.hasEnablePassword).toBe(field === 'enablePassword');
    expect(auditWrites()).toEqual(['POST /ux/nccm/jobs-account-audit/ 201']);
    expect(stack.sims.pam.requests.count).toBe(0);
    expect(await storedValue()).toBe(secret);
  });

  it('replaceAuditEntry stores a new canary with exactly one PUT', async () => {
    const secret = canary(`${field}-replace`);
    stack.resetRecords();
    const result = resultOf(await send(stack, DOCS.replaceAuditEntry, { id: auditId, input: entry(secret) }));
    expect(result.__typename).toBe('ReplaceAuditEntryPayload');
    expect(auditWrites()).toEqual([`PUT /ux/nccm/jobs-account-audit/${auditId}/ 200`]);
    expect(await storedValue()).toBe(secret);
  });

  it('failing gateway validation sends nothing and echoes no canary', async () => {
    stack.resetRecords();
    const calls: Array<[CanaryDocument, Variables]> = [
      [
        DOCS.createAuditEntry,
        { input: entry(canary(`${field}-invalid-create`), { error: 'e'.repeat(2001) }) },
      ],
      [
        DOCS.replaceAuditEntry,
        { id: auditId, input: entry(canary(`${field}-invalid-replace`), { lastUpdateTime: 'now' }) },
      ],
    ];
    for (const [document, variables] of calls) {
      const result = resultOf(await send(stack, document, variables));
      expect(result.__typename).toBe('ValidationError');
      expect((result.issues ?? []).length).toBe(1);
    }
    expect(upstreamCount()).toBe(0);
  });

  it('failing upstream (another organisation, unknown id) echoes no canary', async () => {
    const before = await storedValue();
    stack.resetRecords();
    const foreign = resultOf(
      await send(stack, DOCS.createAuditEntry, {
        input: entry(canary(`${field}-other-org`), { organization: OTHER_ORGANIZATION }),
      }),
    );
    expect(foreign.__typename).toBe('ValidationError');
    const unknown = resultOf(
      await send(stack, DOCS.replaceAuditEntry, {
        id: 'ffffffffffffffffffffffff',
        input: entry(canary(`${field}-unknown-id`)),
      }),
    );
    expect(unknown.__typename).toBe('NotFoundError');
    expect(auditWrites()).toEqual([
      'POST /ux/nccm/jobs-account-audit/ 400',
      'PUT /ux/nccm/jobs-account-audit/ffffffffffffffffffffffff/ 404',
    ]);
    stack.resetRecords();
    expect(await storedValue()).toBe(before);
  });
});

describe('bad variables: a canary in an input that fails GraphQL coercion is in no error', () => {
  /**
   * Documents with the input as a variable; every case must be a request error with no data (so createServer's
   * own alias, `r`, never matters).
   */
  const INPUT_DOCS = {
    createServer: canaryDocument(CreateServerDocument),
    createAccount: DOCS.createAccount,
    updateAccount: DOCS.updateAccount,
    createUser: DOCS.createUser,
    createAuditEntry: DOCS.createAuditEntry,
  };
  const server = (o: Variables) => ({ name: 's', address: '10.0.0.1', port: 22, protocol: 'SSH', ...o });

  const cases: Array<[string, CanaryDocument, () => Variables]> = [
    ['a canary as a port', INPUT_DOCS.createServer, () => ({ input: server({ port: canary('as-port') }) })],
    [
      'a canary as an enum value',
      INPUT_DOCS.createServer,
      () => ({ input: server({ protocol: canary('as-enum') }) }),
    ],
    [
      'a canary in an unknown input field',
      INPUT_DOCS.createServer,
      () => ({ input: server({ password: canary('unknown-field') }) }),
    ],
    [
      'a canary as an object where a string is expected',
      INPUT_DOCS.createUser,
      () => ({ input: { name: 'u', role: 'USER', password: { value: canary('as-object') } } }),
    ],
    [
      'a canary in a list where a string is expected',
      INPUT_DOCS.createUser,
      () => ({ input: { name: 'u', role: 'USER', password: [canary('as-list')] } }),
    ],
    ...ACCOUNT_SECRETS.flatMap(
      (spec): Array<[string, CanaryDocument, () => Variables]> => [
        [
          `account ${spec.kind} with a required field missing`,
          INPUT_DOCS.createAccount,
          () => {
            const input = wholeAccount('a', 1, spec, canary(`${spec.kind}-coercion`));
            delete input.type;
            return { input };
          },
        ],
        [
          `account ${spec.kind} beside a bad enum value`,
          INPUT_DOCS.updateAccount,
          () => ({
            id: '1',
            input: { ...spec.part(canary(`${spec.kind}-coercion-enum`)), dumpMode: 'SOME' },
          }),
        ],
      ],
    ),
    [
      'credentials.secret with login missing in the same object',
      INPUT_DOCS.createAccount,
      () => ({
        input: {
          name: 'a',
          type: 'REGULAR',
          serverId: '1',
          credentials: { method: 'PASSWORD', secret: canary('secret-no-login'), passwordChangePolicyId: '1' },
        },
      }),
    ],
    [
      'changer sshPassword with timeout missing in the same item',
      INPUT_DOCS.createAccount,
      () => ({
        input: {
          name: 'a',
          type: 'REGULAR',
          serverId: '1',
          ...PLAIN_CREDENTIALS,
          passwordChangers: [{ changerId: 4, position: 0, sshPassword: canary('ssh-no-timeout') }],
        },
      }),
    ],
    [
      'user password with the role missing',
      INPUT_DOCS.createUser,
      () => ({ input: { name: 'u', password: canary('password-coercion') } }),
    ],
    [
      'user password with a fractional field type error',
      INPUT_DOCS.createUser,
      () => ({
        input: { name: 'u', role: 'USER', blocked: 'yes', password: canary('password-coercion-bool') },
      }),
    ],
    [
      'audit devicePassword with organization missing',
      INPUT_DOCS.createAuditEntry,
      () => ({ input: { devicePassword: canary('devicePassword-coercion') } }),
    ],
    [
      'audit enablePassword with organization null',
      INPUT_DOCS.createAuditEntry,
      () => ({ input: { organization: null, enablePassword: canary('enablePassword-coercion') } }),
    ],
    [
      'audit devicePassword as a number beside the enable password',
      INPUT_DOCS.createAuditEntry,
      () => ({
        input: {
          organization: ORGANIZATION,
          devicePassword: 42,
          enablePassword: canary('enablePassword-coercion-2'),
        },
      }),
    ],
  ];

  it.each(cases)('%s', async (_name, document, variables) => {
    stack.resetRecords();
    const vars = variables();
    const planted = canaries[canaries.length - 1] ?? '';
    expect(JSON.stringify(vars)).toContain(planted);
    const response = await send(stack, document, vars);
    expect(response.data).toBeUndefined();
    const messages = (response.errors ?? []).map((e) => e.message);
    expect(messages.length).toBeGreaterThan(0);
    for (const message of messages) expect(message).toMatch(/^Variable "\$(input|id)" has an invalid value/);
    expect(upstreamCount()).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------------------
// An upstream that echoes the request body back in its errors: the gateway must redact every secret.

describe('an upstream that echoes the body in its error', () => {
  let fault: FaultServer;
  let echo: Stack;

  /** Answers `status` with the last recorded request body inside field names and messages. */
  const echoing =
    (status: number, shape: 'pam' | 'audit' | 'detail'): Behaviour =>
    (_req: IncomingMessage, res: ServerResponse) => {
      const body = fault.requests[fault.requests.length - 1]?.body ?? '';
      const value =
        shape === 'pam'
          ? { name: [`Bad: ${body}`], [`credentials.${body}`]: ['Unknown field.'], non_field_errors: [body] }
          : shape === 'audit'
            ? { error: `Bad body ${body}`, fields: { dpassword: [body], denable_password: [`x ${body}`] } }
            : { detail: body, error: body };
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };

  beforeAll(async () => {
    fault = await startFaultServer();
    echo = await startStack({
      simulators: { empty: true },
      // Many 5xx answers in a row are the point here; the circuit breaker has its own tests.
      settings: { breakerThreshold: 1000 },
      pam: { url: fault.url },
      audit: { url: fault.url },
    });
    stacks.push(echo);
  });

  afterAll(async () => {
    await echo?.stop();
    await fault?.stop();
  });

  const accountCases = ACCOUNT_SECRETS.map((spec) => [spec.kind, spec] as const);

  it.each(accountCases)(
    'createAccount %s: a 400 echoing the body becomes a redacted ValidationError',
    async (kind, spec) => {
      fault.reset();
      fault.setFallback(echoing(400, 'pam'));
      const secret = canary(`${kind}-echo-400`);
      const result = resultOf(
        await send(echo, DOCS.createAccount, { input: wholeAccount('echo', 1, spec, secret) }),
      );
      expect(result.__typename).toBe('ValidationError');
      expect((result.issues ?? []).length).toBe(3);
      expect(fault.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/system/accounts']);
      expect(fault.requests[0]?.body).toContain(secret);
    },
  );

  it.each(accountCases)(
    'updateAccount %s: a 500 echoing the body is an error without it',
    async (kind, spec) => {
      fault.reset();
      fault.setFallback(echoing(500, 'detail'));
      const secret = canary(`${kind}-echo-500`);
      const response = await send(echo, DOCS.updateAccount, { id: '7', input: spec.part(secret) });
      expect(response.data).toBeNull();
      expect(response.errors?.length).toBe(1);
      expect(fault.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['PATCH /api/system/accounts/7']);
      expect(fault.requests[0]?.body).toContain(secret);
    },
  );

  it('createUser password: a 400 echoing the body becomes a redacted ValidationError', async () => {
    fault.reset();
    fault.setFallback(echoing(400, 'pam'));
    const secret = canary('password-echo-400');
    const result = resultOf(
      await send(echo, DOCS.createUser, { input: { name: 'echo', role: 'USER', password: secret } }),
    );
    expect(result.__typename).toBe('ValidationError');
    expect(fault.requests).toHaveLength(1);
    expect(fault.requests[0]?.body).toContain(secret);
  });

  it.each([
    ['devicePassword', 'createAuditEntry'],
    ['enablePassword', 'replaceAuditEntry'],
  ] as const)(
    'audit %s (%s): a 400 echoing the body becomes a redacted ValidationError',
    async (field, mutation) => {
      fault.reset();
      fault.setFallback(echoing(400, 'audit'));
      const secret = canary(`${field}-echo-400`);
      const input = { organization: ORGANIZATION, [field]: secret };
      const variables =
        mutation === 'createAuditEntry' ? { input } : { id: '0123456789abcdef01234567', input };
      const result = resultOf(await send(echo, DOCS[mutation], variables));
      expect(result.__typename).toBe('ValidationError');
      expect((result.issues ?? []).map((i) => i.path).sort()).toEqual([
        'input.devicePassword',
        'input.enablePassword',
      ]);
      expect(fault.requests).toHaveLength(1);
      expect(fault.requests[0]?.body).toContain(secret);
    },
  );
});

// ---------------------------------------------------------------------------------------------------------
// Upstreams that never answer: the write times out once, is never retried, and its outcome is unknown.

describe('a write that times out', () => {
  const TIMEOUT_MS = 300;
  let fault: FaultServer;
  let slow: Stack;

  beforeAll(async () => {
    fault = await startFaultServer();
    fault.setFallback(hang());
    slow = await startStack({
      simulators: { empty: true },
      // Many timeouts in a row are the point here; the circuit breaker has its own tests.
      settings: { upstreamTimeoutMs: TIMEOUT_MS, breakerThreshold: 1000 },
      pam: { url: fault.url },
      audit: { url: fault.url },
    });
    stacks.push(slow);
  });

  afterAll(async () => {
    await slow?.stop();
    await fault?.stop();
  });

  interface TimeoutCase {
    name: string;
    document: CanaryDocument;
    variables: (secret: string) => Variables;
    request: string;
  }

  const cases: TimeoutCase[] = [
    ...ACCOUNT_SECRETS.flatMap((spec): TimeoutCase[] => [
      {
        name: `createAccount ${spec.kind}`,
        document: DOCS.createAccount,
        variables: (secret) => ({ input: wholeAccount('slow', 1, spec, secret) }),
        request: 'POST /api/system/accounts',
      },
      {
        name: `updateAccount ${spec.kind}`,
        document: DOCS.updateAccount,
        variables: (secret) => ({ id: '3', input: spec.part(secret) }),
        request: 'PATCH /api/system/accounts/3',
      },
    ]),
    {
      name: 'createUser password',
      document: DOCS.createUser,
      variables: (password) => ({ input: { name: 'slow', role: 'USER', password } }),
      request: 'POST /api/system/users',
    },
    {
      name: 'replaceUser password',
      document: DOCS.replaceUser,
      variables: (password) => ({ id: '4', input: { name: 'slow', role: 'USER', password } }),
      request: 'PUT /api/system/users/4',
    },
    {
      name: 'createAuditEntry devicePassword',
      document: DOCS.createAuditEntry,
      variables: (devicePassword) => ({ input: { organization: ORGANIZATION, devicePassword } }),
      request: 'POST /ux/nccm/jobs-account-audit/',
    },
    {
      name: 'replaceAuditEntry enablePassword',
      document: DOCS.replaceAuditEntry,
      variables: (enablePassword) => ({
        id: '0123456789abcdef01234567',
        input: { organization: ORGANIZATION, enablePassword },
      }),
      request: 'PUT /ux/nccm/jobs-account-audit/0123456789abcdef01234567/',
    },
  ];

  it.each(cases.map((c) => [c.name, c] as const))(
    '%s answers UPSTREAM_TIMEOUT, outcome unknown, sent exactly once',
    async (name, c) => {
      fault.reset();
      const secret = canary(`timeout-${name.replace(/\s+/g, '-')}`);
      const started = performance.now();
      const response = await send(slow, c.document, c.variables(secret));
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
      // At the deadline, not much later (generous: the machine may be loaded); never a second attempt.
      expect(elapsed).toBeLessThan(TIMEOUT_MS + 3_000);
      expect(response.data).toBeNull();
      expect(response.errors).toHaveLength(1);
      const error = response.errors?.[0];
      expect(error?.extensions?.code).toBe('UPSTREAM_TIMEOUT');
      expect(error?.message).toMatch(/the outcome of the write is unknown/);
      expect(error?.path).toEqual(['result']);
      // Give a retry the chance to show up: it must not.
      await sleep(TIMEOUT_MS / 2);
      expect(fault.requests.map((r) => `${r.method} ${r.path}`)).toEqual([c.request]);
      expect(fault.requests[0]?.body).toContain(secret);
    },
  );

  it('logged no retry of any timed-out write', () => {
    expect(slow.logs.text).not.toContain('upstream retry');
    expect(slow.logs.lines.filter((line) => line.includes('"msg":"upstream call"'))).toHaveLength(
      cases.length,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('after every call', () => {
  it('no gateway log line of any stack holds a canary, though the logs did record the calls', () => {
    expect(stacks).toHaveLength(3);
    // Sanity: the search has something to look at, and every kind of secret produced canaries.
    expect(canaries.length).toBeGreaterThan(80);
    for (const s of stacks) {
      // Every stack logged its upstream calls at debug level: the lines searched are the ones that matter.
      expect(s.logs.text).toContain('"msg":"upstream call"');
      expectNoCanary(s.logs.text, 'a log line');
    }
  });

  it('no response text holds a canary', () => {
    expect(responses.length).toBeGreaterThan(80);
    for (const text of responses) expectNoCanary(text, 'a response');
  });
});
