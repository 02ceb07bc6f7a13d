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
