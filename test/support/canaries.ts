/**
 * The canaries of the write-only-secret suites (test/gateway/mutation-secrets-*.test.ts): a distinct canary
 * set through each secret input of the write path (account `credentials.secret` and `credentials.privateKey`,
 * password-changer `privilegedModePassword`, `privilegedPassword` and `sshPassword`, user `password`, audit
 * `devicePassword` and `enablePassword`), the typed documents that carry them, `send`, which searches every
 * response and error for every canary handed out in the file, and the closing check of the file's logs.
 */
import { randomBytes } from 'node:crypto';
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
} from '../gql/graphql.js';
import { SimulatorWriter } from './seed.js';
import { type GraphQLResponse, type Stack, startStack } from './stack.js';

export type Variables = Record<string, unknown>;

/** Every canary handed out, so that every check looks for all of them. */
export const canaries: string[] = [];
export function canary(kind: string): string {
  const value = `CANARY-${kind}-${randomBytes(6).toString('hex')}`;
  canaries.push(value);
  return value;
}

export function expectNoCanary(text: string, where: string): void {
  const found = canaries.filter((c) => text.includes(c));
  expect(found, `canary in ${where}`).toEqual([]);
}

interface Issue {
  path: string;
  message: string;
}

export interface Result {
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
export const stacks: Stack[] = [];
/** Every response text seen. */
export const responses: string[] = [];

export async function send(
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

export function resultOf(response: GraphQLResponse<{ result: Result }>): Result {
  expect(response.errors).toBeUndefined();
  const result = response.data?.result;
  if (result === undefined) throw new Error(`no result: ${response.text}`);
  return result;
}

/**
 * The typed documents of the writes (test/operations/mutation-secrets.graphql): one result shape, `result` with
 * its object as `entity`, for accounts, users and audit entries; variables as each case builds them.
 */
export type CanaryDocument = TypedDocumentNode<{ result: Result }, Variables>;
export const canaryDocument = (document: DocumentNode): CanaryDocument => document;

export const DOCS = {
  createAccount: canaryDocument(CanaryCreateAccountDocument),
  updateAccount: canaryDocument(CanaryUpdateAccountDocument),
  replaceAccount: canaryDocument(CanaryReplaceAccountDocument),
  createUser: canaryDocument(CanaryCreateUserDocument),
  updateUser: canaryDocument(CanaryUpdateUserDocument),
  replaceUser: canaryDocument(CanaryReplaceUserDocument),
  createAuditEntry: canaryDocument(CanaryCreateAuditEntryDocument),
  replaceAuditEntry: canaryDocument(CanaryReplaceAuditEntryDocument),
} as const;

export const ORGANIZATION = 'acme-networks';
export const OTHER_ORGANIZATION = 'globex-telecom';

/**
 * An account secret input: where the canary goes in a whole account (create/replace) and in a patch, and
 * where the simulator stores it.
 */
export interface AccountSecret {
  kind: string;
  /** The part of the account that carries the canary (credentials and/or passwordChangers). */
  part(secret: string): Variables;
  stored(account: StoredAccount | undefined): string | null | undefined;
}

export interface StoredAccount {
  credentials: { secret: string | null; privateKey: string | null } | null;
  changers: Array<{
    privilegedModePassword: string | null;
    privilegedPassword: string | null;
    sshPassword: string | null;
  }>;
}

const POLICY = '1';
export const ACCOUNT_SECRETS: AccountSecret[] = [
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
export const PLAIN_CREDENTIALS = {
  credentials: { login: 'root', method: 'ACCOUNT', passwordChangePolicyId: POLICY },
};

export function wholeAccount(name: string, serverId: number, spec: AccountSecret, secret: string): Variables {
  return {
    name,
    type: 'REGULAR',
    serverId: String(serverId),
    ...PLAIN_CREDENTIALS,
    ...spec.part(secret),
  };
}

export const writesOf = (records: RecordedRequest[]): string[] =>
  records.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path} ${r.status}`);

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The stack over real (empty) simulators, with one server to put accounts on. */
export interface SimulatorStack {
  current(): { stack: Stack; serverId: number };
  /** The write requests the PAM simulator recorded, as `METHOD path status`. */
  pamWrites(): string[];
  /** How many requests both simulators recorded. */
  upstreamCount(): number;
}

/** Starts the stack before the file's tests (and registers it with `stacks`) and stops it after them. */
export function simulatorStack(): SimulatorStack {
  let stack: Stack | undefined;
  let serverId = 0;
  beforeAll(async () => {
    stack = await startStack({ simulators: { empty: true } });
    stacks.push(stack);
    const { sims } = stack;
    const writer = new SimulatorWriter(
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
  const current = () => {
    if (stack === undefined) throw new Error('the stack has not started');
    return { stack, serverId };
  };
  return {
    current,
    pamWrites: () => writesOf(current().stack.sims.pam.requests.list()),
    upstreamCount: () => {
      const { sims } = current().stack;
      return sims.pam.requests.count + sims.audit.requests.count;
    },
  };
}

/**
 * The closing checks of a file: no gateway log line of any of its stacks, and no response text, holds any canary
 * the file handed out. `expectedStacks` and `minimum` (canaries planted, responses searched) keep the search
 * from passing on nothing; `logged` is the log message every stack must show for the calls it served.
 */
export function describeAfterEveryCall(options: {
  expectedStacks: number;
  minimum: number;
  logged: 'upstream call' | 'operation';
}): void {
  describe('after every call', () => {
    it('no gateway log line of any stack holds a canary, though the logs did record the calls', () => {
      expect(stacks).toHaveLength(options.expectedStacks);
      // Sanity: the search has something to look at, and every kind of secret produced canaries.
      expect(canaries.length).toBeGreaterThan(options.minimum);
      for (const s of stacks) {
        // Every stack logged its calls at debug level: the lines searched are the ones that matter.
        expect(s.logs.text).toContain(`"msg":"${options.logged}"`);
        expectNoCanary(s.logs.text, 'a log line');
      }
    });

    it('no response text holds a canary', () => {
      expect(responses.length).toBeGreaterThan(options.minimum);
      for (const text of responses) expectNoCanary(text, 'a response');
    });
  });
}
