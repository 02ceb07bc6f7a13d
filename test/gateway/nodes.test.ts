/**
 * Relay global IDs: opaque, versioned, refetchable through node(id:) and nodes(ids:) for every node type.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  FirstIdOfEachConnectionDocument,
  NodesIdsDocument,
  NodeTypenameDocument,
  PasswordChangePolicyIdsDocument,
} from '../gql/graphql.js';
import { type Stack, startStack } from '../support/stack.js';

let stack: Stack;
const ids: Record<string, string> = {};

beforeAll(async () => {
  stack = await startStack();
  const res = await stack.query(FirstIdOfEachConnectionDocument);
  for (const [field, conn] of Object.entries(res.data ?? {})) ids[field] = conn?.edges[0]?.node.id ?? '';
  const policies = await stack.query(PasswordChangePolicyIdsDocument);
  ids.policy = policies.data?.passwordChangePolicies?.[0]?.id ?? '';
});
afterAll(() => stack.stop());
beforeEach(() => stack.resetRecords());

describe('global IDs', () => {
  it('are opaque base64url strings that carry a format version and the type', () => {
    for (const id of Object.values(ids)) {
      expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(Buffer.from(id, 'base64url').toString()).toMatch(/^pg1:[A-Za-z]+:[0-9a-f]+$/);
    }
  });

  it('node(id:) refetches an object of every node type', async () => {
    const typenames: Record<string, string> = {
      accounts: 'Account',
      servers: 'Server',
      safes: 'Safe',
      listeners: 'Listener',
      users: 'User',
      auditEntries: 'AuditEntry',
      policy: 'PasswordChangePolicy',
    };
    for (const [field, typename] of Object.entries(typenames)) {
      const res = await stack.query(NodeTypenameDocument, { id: ids[field] ?? '' });
      expect(res.errors).toBeUndefined();
      expect(res.data?.node).toEqual({ id: ids[field], __typename: typename });
    }
  });

  it('nodes(ids:) answers in order, with null for an id that does not exist', async () => {
    const missing = Buffer.from('pg1:Account:999999').toString('base64url');
    const res = await stack.query(NodesIdsDocument, {
      ids: [ids.servers ?? '', missing, ids.accounts ?? ''],
    });
    expect(res.errors).toBeUndefined();
    expect(res.data?.nodes).toEqual([{ id: ids.servers }, null, { id: ids.accounts }]);
  });

  it('nodes(ids:) with more than 100 ids is BAD_USER_INPUT before any upstream request', async () => {
    const many = Array.from({ length: 101 }, (_, i) =>
      Buffer.from(`pg1:Account:${i + 1}`).toString('base64url'),
    );
    const res = await stack.query(NodesIdsDocument, { ids: many });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(stack.sims.pam.requests.count).toBe(0);
  });

  it('a malformed ID is BAD_USER_INPUT, never an internal error', async () => {
    for (const id of ['not base64 !', Buffer.from('v0:Account:1').toString('base64url'), '']) {
      const res = await stack.query(NodeTypenameDocument, { id });
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});
