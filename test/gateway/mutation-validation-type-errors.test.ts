/**
 * What the GraphQL type system rejects in a mutation (unknown enum value, missing non-null field or argument,
 * malformed scalar, unknown input field, null for a non-null variable) is a GraphQL error, not a typed result,
 * and no upstream receives a request. The documents stay inline: several are deliberately malformed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  account,
  changer,
  create,
  mutationDoc,
  type Result,
  SELECTION,
  server,
  user,
  type Variables,
  validationStack,
  withChangers,
} from '../support/mutation-validation.js';
import type { Stack } from '../support/stack.js';

const fixture = validationStack();
const { upstreamRequests } = fixture;
let stack: Stack;
beforeAll(() => {
  ({ stack } = fixture.current());
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
