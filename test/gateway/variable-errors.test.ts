/**
 * graphql-js echoes a bad variable's whole value in its error message. Values may be secrets, so the gateway
 * rewrites those errors: the variable, the path and the kind of problem, never the value, never logged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/stack.js';

const CANARY = 'CANARY-variable-7c1e';
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

describe('bad variables', () => {
  it.each([
    [
      'a string for an Int',
      'query ($n: Int) { accounts(first: $n) { edges { cursor } } }',
      { n: CANARY },
      /^Variable "\$n" has an invalid value: Not a valid Int\.$/,
    ],
    [
      'an unknown enum value inside an input object',
      'query ($o: AuditEntryOrder) { auditEntries(orderBy: $o) { edges { cursor } } }',
      { o: { field: CANARY, direction: 'ASC' } },
      /^Variable "\$o" has an invalid value at "o\.field": Not a value of the AuditEntrySortField enum\.$/,
    ],
    [
      'an unknown field next to a secret-looking value',
      'query ($o: AuditEntryOrder) { auditEntries(orderBy: $o) { edges { cursor } } }',
      { o: { field: 'JOB_NAME', direction: 'ASC', secret: CANARY } },
      /^Variable "\$o" has an invalid value: Field "secret" is not defined by type "AuditEntryOrder"\.$/,
    ],
    [
      'a missing required field',
      'query ($o: AuditEntryOrder) { auditEntries(orderBy: $o) { edges { cursor } } }',
      { o: { direction: CANARY } },
      /^Variable "\$o" has an invalid value/,
    ],
  ])('%s: BAD_USER_INPUT without the value, nothing logged', async (_name, query, variables, message) => {
    stack.resetRecords();
    const before = stack.logs.lines.length;
    const res = await stack.query(query, variables);
    expect(res.errors?.length).toBeGreaterThan(0);
    expect(res.errors?.[0]?.message).toMatch(message);
    expect(res.errors?.every((e) => e.extensions?.code === 'BAD_USER_INPUT')).toBe(true);
    expect(res.text).not.toContain(CANARY);
    expect(stack.logs.lines.slice(before).join('\n')).not.toContain(CANARY);
    expect(stack.sims.pam.requests.count + stack.sims.audit.requests.count).toBe(0);
  });
});

describe('bad literals in the query document', () => {
  it.each([
    [
      'a string literal for an Int',
      `{ accounts(first: "${CANARY}") { edges { cursor } } }`,
      'Not a valid Int.',
    ],
    [
      'a name literal for a String (a password typed unquoted)',
      'mutation { createUser(input: {name: "u", role: USER, password: CANARY_variable_7c1e}) { __typename } }',
      'Not a valid String.',
    ],
    [
      'an unknown enum value',
      'mutation { createServer(input: {name: "s", address: "10.0.0.1", port: 22, protocol: CANARY_variable_7c1e}) { __typename } }',
      'Not a value of the Protocol enum.',
    ],
  ])('%s: a validation error without the literal', async (_name, query, message) => {
    stack.resetRecords();
    const res = await stack.query(query);
    expect(res.errors?.map((e) => e.message)).toEqual([message]);
    expect(res.text).not.toMatch(/CANARY.variable.7c1e/);
    expect(stack.sims.pam.requests.count).toBe(0);
  });
});
