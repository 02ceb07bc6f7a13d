/**
 * A canary in an input that fails GraphQL variable coercion (a wrong type, an unknown field, a missing required
 * field beside it) is in no error, no response and no gateway log line, and nothing is sent upstream.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CreateServerDocument } from '../gql/graphql.js';
import {
  ACCOUNT_SECRETS,
  type CanaryDocument,
  canaries,
  canary,
  canaryDocument,
  DOCS,
  describeAfterEveryCall,
  ORGANIZATION,
  PLAIN_CREDENTIALS,
  send,
  simulatorStack,
  type Variables,
  wholeAccount,
} from '../support/canaries.js';
import type { Stack } from '../support/stack.js';

const fixture = simulatorStack();
const { upstreamCount } = fixture;
let stack: Stack;
beforeAll(() => {
  ({ stack } = fixture.current());
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

// These calls never reach an upstream, so what the logs record of them is the operation line.
describeAfterEveryCall({ expectedStacks: 1, minimum: 20, logged: 'operation' });
