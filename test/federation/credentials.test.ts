/**
 * `_entities` follows CREDENTIAL_MODE like any field. In `forward` mode an entity lookup acts as the caller,
 * so it works only when the router propagates the caller's credential headers; without them it fails
 * UNAUTHENTICATED before any upstream request.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/stack.js';
import {
  COMMITTED_SUBGRAPH_SDL,
  compose,
  type ListeningPamgraph,
  listenPamgraph,
  type Supergraph,
  startSupergraph,
  upstreamRequests,
} from './supergraph.js';
import { type RunningTickets, startTickets } from './tickets-subgraph.js';

const ENTITIES = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Account { name } } }`;
const CROSSING = '{ tickets { title account { name } } }';

let stack: Stack;
let pamgraph: ListeningPamgraph;
let tickets: RunningTickets;
/** A router configured to propagate pamgraph's credential headers, and one that is not. */
let propagating: Supergraph;
let plain: Supergraph;
let credentials: Record<string, string>;

beforeAll(async () => {
  stack = await startStack({ mode: 'forward' });
  credentials = {
    'x-pam-token': stack.sims.credentials.pam.superadminToken,
    'x-audit-key': stack.sims.credentials.audit.primaryKey,
  };
  tickets = await startTickets([{ id: 'T1', title: 'Rotate', open: true, accountPamId: '1' }]);
  pamgraph = await listenPamgraph(stack);
  const composed = compose(COMMITTED_SUBGRAPH_SDL, pamgraph.url, tickets);
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  propagating = startSupergraph(composed.supergraphSdl, ['x-pam-token', 'x-audit-key']);
  plain = startSupergraph(composed.supergraphSdl);
});

afterAll(async () => {
  await propagating?.runtime.dispose();
  await plain?.runtime.dispose();
  await tickets?.stop();
  await pamgraph?.stop();
  await stack?.stop();
});

beforeEach(() => stack.resetRecords());

describe('_entities in forward mode, called directly', () => {
  it('fails UNAUTHENTICATED with no upstream request when the caller sends no credential', async () => {
    const res = await stack.query(ENTITIES, { reps: [{ __typename: 'Account', pamId: '1' }] });
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(upstreamRequests(stack)).toBe(0);
  });

  it('resolves with the caller’s own credential', async () => {
    const res = await stack.query<{ _entities: Array<{ name: string } | null> }>(
      ENTITIES,
      { reps: [{ __typename: 'Account', pamId: '1' }] },
      credentials,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities).toEqual([{ name: expect.any(String) }]);
    expect(stack.sims.pam.requests.list().map((r) => r.headers.authorization)).not.toContain(undefined);
  });
});

describe('_entities in forward mode, through a router', () => {
  it('works when the router propagates the credential headers', async () => {
    const res = await propagating.query<{ tickets: Array<{ title: string; account: { name: string } }> }>(
      CROSSING,
      credentials,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.tickets).toEqual([{ title: 'Rotate', account: { name: expect.any(String) } }]);
  });

  it('fails UNAUTHENTICATED, with no upstream request, when the router drops them', async () => {
    const res = await plain.query(CROSSING, credentials);
    expect(res.errors?.map((e) => e.extensions?.code)).toContain('UNAUTHENTICATED');
    expect(upstreamRequests(stack)).toBe(0);
  });

  it('fails UNAUTHENTICATED when the client sends none, even through a propagating router', async () => {
    const res = await propagating.query(CROSSING);
    expect(res.errors?.map((e) => e.extensions?.code)).toContain('UNAUTHENTICATED');
    expect(upstreamRequests(stack)).toBe(0);
  });
});
