/**
 * Acceptance of the gateway-side write rules: for every rule the gateway checks itself, a mutation that breaks
 * it answers the typed `ValidationError` result with the exact issue paths, and neither simulator receives a
 * single request; several problems of one input are reported together.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  account,
  audit,
  changer,
  create,
  credentials,
  mutationDoc,
  type Result,
  resultOf,
  server,
  sorted,
  validationStack,
} from '../support/mutation-validation.js';
import type { Stack } from '../support/stack.js';
import { ROWS } from '../support/validation-rows.js';

const fixture = validationStack();
const { upstreamRequests } = fixture;
let stack: Stack;
beforeAll(() => {
  ({ stack } = fixture.current());
});

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
