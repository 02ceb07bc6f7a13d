/**
 * INTROSPECTION=false: no schema through introspection, no name leaked through a "Did you mean …" suggestion,
 * no GraphiQL — while federation routers still read `_service { sdl }`. The same typos against a gateway with
 * introspection on prove that each one would otherwise suggest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/stack.js';

let closed: Stack;
let open: Stack;
beforeAll(async () => {
  [closed, open] = await Promise.all([
    startStack({ settings: { introspection: false } }),
    startStack({ settings: { introspection: true } }),
  ]);
});
afterAll(async () => {
  await Promise.all([closed.stop(), open.stop()]);
});

/** Typos of every kind of name graphql-js would suggest: a field, an argument, a type, an input field. */
const TYPOS: Array<{ kind: string; query: string; variables?: Record<string, unknown>; name: string }> = [
  { kind: 'field', query: '{ acounts(first: 1) { edges { cursor } } }', name: '"accounts"' },
  { kind: 'argument', query: '{ accounts(frist: 1) { edges { cursor } } }', name: '"first"' },
  {
    kind: 'type',
    query: 'query ($o: AuditEntryOrdr) { auditEntries(first: 1, orderBy: $o) { edges { cursor } } }',
    name: '"AuditEntryOrder"',
  },
  {
    kind: 'input field',
    query: '{ auditEntries(first: 1, orderBy: { feild: CREATED_AT, direction: DESC }) { edges { cursor } } }',
    name: '"field"',
  },
];

/**
 * Enum values and input fields in variables: the gateway already rewrites these messages (they may quote a
 * secret); with introspection off they must stay clean too.
 */
const ENUM_TYPOS = [
  {
    kind: 'enum literal',
    query: '{ auditEntries(first: 1, orderBy: { field: CREATED_A, direction: DESC }) { edges { cursor } } }',
  },
  {
    kind: 'enum value in a variable',
    query: 'query ($o: AuditEntryOrder) { auditEntries(first: 1, orderBy: $o) { edges { cursor } } }',
    variables: { o: { field: 'CREATED_A', direction: 'DESC' } },
  },
  {
    kind: 'input field in a variable',
    query: 'query ($o: AuditEntryOrder) { auditEntries(first: 1, orderBy: $o) { edges { cursor } } }',
    variables: { o: { feild: 'CREATED_AT', field: 'AUDIT_ID', direction: 'DESC' } },
  },
];

describe('INTROSPECTION=false', () => {
  it('refuses __schema and __type with INTROSPECTION_DISABLED, and answers __typename', async () => {
    for (const query of [
      '{ __schema { queryType { name } } }',
      '{ __type(name: "Account") { fields { name } } }',
    ]) {
      const res = await closed.query(query);
      expect(res.data ?? null).toBeNull();
      expect(res.errors?.map((e) => e.extensions?.code)).toContain('INTROSPECTION_DISABLED');
      expect(res.text).not.toContain('Account');
      expect(res.errors?.[0]?.message).toMatch(/introspection is disabled/i);
    }
    const typename = await closed.query('{ __typename }');
    expect(typename.data).toEqual({ __typename: 'Query' });
  });

  it('still answers introspection with INTROSPECTION=true', async () => {
    const res = await open.query<{ __schema: { queryType: { name: string } } }>(
      '{ __schema { queryType { name } } }',
    );
    expect(res.data?.__schema.queryType.name).toBe('Query');
  });

  for (const typo of TYPOS) {
    it(`suggests nothing for a mistyped ${typo.kind}, where introspection on would`, async () => {
      const withSuggestion = await open.query(typo.query, typo.variables);
      expect(withSuggestion.text).toMatch(/Did you mean/);
      expect(withSuggestion.text).toContain(typo.name.replaceAll('"', '\\"'));

      const res = await closed.query(typo.query, typo.variables);
      expect(res.errors?.length).toBeGreaterThan(0);
      expect(res.text).not.toMatch(/did you mean/i);
      expect(res.text).not.toContain(typo.name.replaceAll('"', '\\"'));
      expect(closed.logs.text).not.toMatch(/did you mean/i);
    });
  }

  for (const typo of ENUM_TYPOS) {
    it(`suggests no enum value for a mistyped ${typo.kind}`, async () => {
      const res = await closed.query(typo.query, typo.variables);
      expect(res.errors?.length).toBeGreaterThan(0);
      expect(res.text).not.toMatch(/did you mean/i);
      expect(res.text).not.toContain('CREATED_AT');
    });
  }

  it('serves no GraphiQL page', async () => {
    const page = await closed.gateway.yoga.fetch('http://pamgraph.test/graphql', {
      headers: { accept: 'text/html', 'graphql-preflight': '1' },
    });
    const body = await page.text();
    expect(body).not.toMatch(/<html/i);
    expect(page.headers.get('content-type') ?? '').not.toContain('text/html');
    // The same request with introspection on is the page.
    const control = await open.gateway.yoga.fetch('http://pamgraph.test/graphql', {
      headers: { accept: 'text/html' },
    });
    expect(await control.text()).toMatch(/<html/i);
  });

  it('keeps answering federation routers: _service { sdl }', async () => {
    const res = await closed.query<{ _service: { sdl: string } }>('{ _service { sdl } }');
    expect(res.errors).toBeUndefined();
    expect(res.data?._service.sdl).toContain('type Account');
    expect(res.data?._service.sdl).toContain('@key');
  });
});
