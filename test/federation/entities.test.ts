/**
 * pamgraph as a subgraph on its own: the served schema is the client-facing one plus federation's own
 * fields and types, and every entity resolves through `_entities` by both of its keys.
 */
import { printType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema, subgraphSchema } from '../../src/schema/index.js';
import { type Stack, startStack } from '../support/stack.js';

describe('the served schema', () => {
  it('keeps every client-facing type, field and description, and adds only federation’s own', () => {
    const clientTypes = Object.keys(schema.getTypeMap());
    // Query gains federation's two fields, so it is compared field by field below.
    for (const name of clientTypes.filter((n) => n !== 'Query')) {
      const client = schema.getType(name);
      const served = subgraphSchema.getType(name);
      expect(served ? printType(served) : undefined, name).toBe(client ? printType(client) : undefined);
    }
    const query = schema.getQueryType()?.getFields() ?? {};
    const servedQuery = subgraphSchema.getQueryType()?.getFields() ?? {};
    for (const [name, field] of Object.entries(query)) {
      expect(String(servedQuery[name]?.type), name).toBe(String(field.type));
      expect(servedQuery[name]?.description, name).toBe(field.description);
      expect(servedQuery[name]?.args.map((a) => `${a.name}: ${a.type}`)).toEqual(
        field.args.map((a) => `${a.name}: ${a.type}`),
      );
    }
    expect(
      Object.keys(servedQuery)
        .filter((n) => !(n in query))
        .sort(),
    ).toEqual(['_entities', '_service']);
    const added = Object.keys(subgraphSchema.getTypeMap()).filter((n) => !clientTypes.includes(n));
    expect(added.filter((n) => !/^(_|link__|federation__)/.test(n))).toEqual([]);
  });
});

describe('entities by both keys', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.stop());

  const lists = ['accounts', 'servers', 'safes', 'listeners', 'users'] as const;
  const typenames = {
    accounts: 'Account',
    servers: 'Server',
    safes: 'Safe',
    listeners: 'Listener',
    users: 'User',
  };

  it.each(lists)(
    'resolves a %s entity by its global id and by its pamId, through the loaders',
    async (list) => {
      const typename = typenames[list];
      const page = await stack.query<
        Record<string, { edges: Array<{ node: { id: string; pamId: string; name: string } }> }>
      >(`{ ${list}(first: 2) { edges { node { id pamId name } } } }`);
      const [a, b] = page.data?.[list]?.edges.map((e) => e.node) ?? [];
      if (!a || !b) throw new Error(`the demo data set has fewer than two ${list}`);
      stack.resetRecords();
      const res = await stack.query<{ _entities: Array<{ name: string; pamId: string } | null> }>(
        `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on ${typename} { name pamId } } }`,
        {
          reps: [
            { __typename: typename, id: a.id },
            { __typename: typename, pamId: b.pamId },
            { __typename: typename, pamId: '987654321' },
          ],
        },
      );
      expect(res.errors).toBeUndefined();
      expect(res.data?._entities).toEqual([
        { name: a.name, pamId: a.pamId },
        { name: b.name, pamId: b.pamId },
        null,
      ]);
    },
  );

  it('resolves an AuditEntry by its global id and by its auditId', async () => {
    const page = await stack.query<{
      auditEntries: { edges: Array<{ node: { id: string; auditId: string; jobName: string | null } }> };
    }>('{ auditEntries(first: 2) { edges { node { id auditId jobName } } } }');
    const [a, b] = page.data?.auditEntries.edges.map((e) => e.node) ?? [];
    if (!a || !b) throw new Error('the demo data set has fewer than two audit entries');
    const res = await stack.query<{ _entities: Array<{ auditId: string; jobName: string | null } | null> }>(
      `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on AuditEntry { auditId jobName } } }`,
      {
        reps: [
          { __typename: 'AuditEntry', id: a.id },
          { __typename: 'AuditEntry', auditId: b.auditId },
          { __typename: 'AuditEntry', auditId: 'ffffffffffffffffffffffff' },
        ],
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities).toEqual([
      { auditId: a.auditId, jobName: a.jobName },
      { auditId: b.auditId, jobName: b.jobName },
      null,
    ]);
  });

  it('refuses a key of another type for that item only', async () => {
    const page = await stack.query<{ servers: { edges: Array<{ node: { id: string } }> } }>(
      '{ servers(first: 1) { edges { node { id } } } }',
    );
    const serverId = page.data?.servers.edges[0]?.node.id;
    const res = await stack.query<{ _entities: Array<{ name: string } | null> }>(
      `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Account { name } } }`,
      {
        reps: [
          { __typename: 'Account', id: serverId },
          { __typename: 'Account', pamId: '1' },
        ],
      },
    );
    expect(res.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['_entities', 0], 'BAD_USER_INPUT'],
    ]);
    expect(res.data?._entities[0]).toBeNull();
    expect(res.data?._entities[1]).toEqual({ name: expect.any(String) });
  });
});
