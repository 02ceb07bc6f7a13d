/**
 * Helpers of the gateway-side validation suites (test/gateway/mutation-validation-*.test.ts): mutation documents
 * built from a field and its argument types (the suites run the same rule check over every mutation, so their
 * documents are made here rather than fixed in test/operations), valid inputs that a case breaks one rule of,
 * and the stack with one seeded account.
 */
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { SimulatorWriter } from './seed.js';
import { type GraphQLResponse, type Stack, startStack } from './stack.js';

export const globalId = (typename: string, id: number | string): string =>
  Buffer.from(`pg1:${typename}:${id}`, 'utf8').toString('base64url');

export interface Issue {
  path: string;
  message: string;
}

export interface Result {
  __typename: string;
  message?: string;
  issues?: Issue[];
}

export type Variables = Record<string, unknown>;

export const SELECTION =
  '{ __typename ... on ValidationError { message issues { path message } } ... on MutationError { message } }';

/** `mutation($a: T, …) { result: field(a: $a, …) { … } }` for the given argument types. */
export function mutationDoc(
  field: string,
  args: Readonly<Record<string, string>>,
  selection = SELECTION,
): string {
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
export const create = (typename: string) => ({
  field: `create${typename}`,
  args: { input: inputType(INPUT_TYPES, typename) },
});
/** `replace<T>(id:, input:)`. */
export const replace = (typename: string) => ({
  field: `replace${typename}`,
  args: { id: 'ID!', input: inputType(INPUT_TYPES, typename) },
});
/** `update<T>(id:, input:)`. */
export const update = (typename: string) => ({
  field: `update${typename}`,
  args: { id: 'ID!', input: inputType(PATCH_TYPES, typename) },
});

// Valid inputs; each row breaks exactly one rule of one of them.
export const server = (o: Variables = {}): Variables => ({
  name: 'srv-v',
  address: '10.0.0.1',
  port: 22,
  protocol: 'SSH',
  ...o,
});
export const credentials = (o: Variables = {}): Variables => ({
  login: 'root',
  method: 'PASSWORD',
  secret: 'pw-valid',
  passwordChangePolicyId: '1',
  ...o,
});
export const account = (o: Variables = {}): Variables => ({
  name: 'acc-v',
  type: 'REGULAR',
  serverId: '1',
  credentials: credentials(),
  ...o,
});
export const changer = (o: Variables = {}): Variables => ({ changerId: 1, position: 0, timeout: 60, ...o });
export const withChangers = (...changers: Variables[]): Variables => account({ passwordChangers: changers });
export const safe = (o: Variables = {}): Variables => ({ name: 'safe-v', ...o });
export const listener = (o: Variables = {}): Variables => ({
  name: 'lst-v',
  mode: 'GATEWAY',
  protocol: 'SSH',
  ...o,
});
export const user = (o: Variables = {}): Variables => ({ name: 'usr-v', role: 'USER', ...o });
export const audit = (o: Variables = {}): Variables => ({ organization: 'acme-networks', ...o });

export interface ValidationStack {
  /** The stack and the account seeded through the PAM API (after `beforeAll`). */
  current(): { stack: Stack; seeded: { serverId: number; accountId: number; accountName: string } };
  /** How many requests both simulators recorded since the test began. */
  upstreamRequests(): number;
}

/**
 * A gateway over empty simulators holding one server and one password account, started before the file's tests
 * and stopped after them; the request records are forgotten before each test.
 */
export function validationStack(): ValidationStack {
  let stack: Stack | undefined;
  let seeded = { serverId: 0, accountId: 0, accountName: '' };

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
    stack?.resetRecords();
  });

  const current = () => {
    if (stack === undefined) throw new Error('the stack has not started');
    return { stack, seeded };
  };
  return {
    current,
    upstreamRequests: () => {
      const { sims } = current().stack;
      return sims.pam.requests.count + sims.audit.requests.count;
    },
  };
}

export function resultOf(response: GraphQLResponse<{ result: Result }>): Result {
  expect(response.errors).toBeUndefined();
  const result = response.data?.result;
  if (result === undefined) throw new Error(`no result: ${response.text}`);
  return result;
}

export const sorted = (paths: readonly string[]): string[] => [...paths].sort();
