/**
 * pamgraph in a real supergraph: its committed subgraph SDL composes with a second subgraph (tickets), Hive
 * Gateway plans a query across both, and the `Account` references tickets holds resolve through pamgraph's
 * `_entities` with the read path's batching: 100 references cost at most 4 upstream requests.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_DEMO_SIZES } from '../../src/simulator/index.js';
import { type Stack, startStack, upstreamGet } from '../support/stack.js';
import {
  COMMITTED_SUBGRAPH_SDL,
  compose,
  type ListeningPamgraph,
  listenPamgraph,
  type Supergraph,
  startSupergraph,
  upstreamRequests,
} from './supergraph.js';
import { type RunningTickets, startTickets, type Ticket } from './tickets-subgraph.js';

interface UpstreamAccount {
  id: number;
  name: string;
  server: { id: number; name: string } | null;
}

/** pamgraph's entity types: a composition message naming one of them points at pamgraph. */
const PAMGRAPH_TYPES = ['Account', 'Server', 'Safe', 'Listener', 'User', 'AuditEntry', 'pamgraph'];

let stack: Stack;
let pamgraph: ListeningPamgraph;
let tickets: RunningTickets;
let supergraph: Supergraph;
/** 100 accounts of the demo data set, read straight from the PAM simulator. */
let accounts: UpstreamAccount[] = [];
let ticketList: Ticket[] = [];

beforeAll(async () => {
  stack = await startStack({ simulators: { sizes: DEFAULT_DEMO_SIZES } });
  // 100 accounts spread over the whole data set (every 20th of 2,000), so the references span both pages of
  // the PAM list rather than sitting at its start.
  const pamGet = (page: number) =>
    upstreamGet<UpstreamAccount[]>(
      stack.sims.pam.url,
      `/api/system/accounts?page=${page}&page_size=1000`,
      stack.sims.credentials.pam.superadminToken,
    );
  const all = [...(await pamGet(1)), ...(await pamGet(2))];
  accounts = all.filter((_, i) => i % 20 === 19);
  // One ticket per account (every third one closed), and a second open ticket on the first account.
  ticketList = accounts.map((a, i) => ({
    id: `T${i + 1}`,
    title: `Rotate the secret of ${a.name}`,
    open: i % 3 !== 2,
    accountPamId: String(a.id),
  }));
  const first = accounts[0];
  if (first)
    ticketList.push({ id: 'T101', title: 'Review access', open: true, accountPamId: String(first.id) });
  tickets = await startTickets(ticketList);
  pamgraph = await listenPamgraph(stack);
  const composed = compose(COMMITTED_SUBGRAPH_SDL, pamgraph.url, tickets);
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  supergraph = startSupergraph(composed.supergraphSdl);
});

afterAll(async () => {
  await supergraph?.runtime.dispose();
  await tickets?.stop();
  await pamgraph?.stop();
  await stack?.stop();
});

beforeEach(() => stack.resetRecords());

describe('composition', () => {
  it('serves, as `_service { sdl }`, exactly the committed subgraph.graphql', async () => {
    const res = await stack.query<{ _service: { sdl: string } }>('{ _service { sdl } }');
    expect(res.errors).toBeUndefined();
    expect(`${res.data?._service.sdl}\n`).toBe(COMMITTED_SUBGRAPH_SDL);
  });

  it('composes the committed SDL and the live one with tickets, with no error at all', async () => {
    const live = await stack.query<{ _service: { sdl: string } }>('{ _service { sdl } }');
    for (const sdl of [COMMITTED_SUBGRAPH_SDL, live.data?._service.sdl ?? '']) {
      const result = compose(sdl, pamgraph.url, tickets);
      const messages = (result.errors ?? []).map((e) => e.message);
      expect(messages.filter((m) => PAMGRAPH_TYPES.some((t) => m.includes(t)))).toEqual([]);
      expect(messages).toEqual([]);
      // The public API of the supergraph is pamgraph's API joined with tickets' fields.
      expect(result.publicSdl).toMatch(/type Account implements Node \{[^}]*openTickets: \[Ticket!\]!/s);
      expect(result.publicSdl).toMatch(/type Ticket \{[^}]*account: Account!/s);
    }
  });
});

describe('a query across both subgraphs', () => {
  it('joins tickets to pamgraph accounts and their servers, and back to tickets', async () => {
    const res = await supergraph.query<{
      tickets: Array<{
        title: string;
        account: {
          pamId: string;
          name: string;
          server: { name: string } | null;
          openTickets: Array<{ title: string }>;
        };
      }>;
    }>('{ tickets { title account { pamId name server { name } openTickets { title } } } }');
    expect(res.errors).toBeUndefined();
    const rows = res.data?.tickets ?? [];
    expect(rows).toHaveLength(ticketList.length);
    for (const [i, row] of rows.entries()) {
      const ticket = ticketList[i];
      const account = accounts.find((a) => String(a.id) === ticket?.accountPamId);
      expect(row.title).toBe(ticket?.title);
      expect(row.account).toEqual({
        pamId: String(account?.id),
        name: account?.name,
        server: account?.server ? { name: account.server.name } : null,
        openTickets: ticketList
          .filter((t) => t.open && t.accountPamId === ticket?.accountPamId)
          .map((t) => ({ title: t.title })),
      });
    }
    // The first account has two open tickets: the join back to tickets is per account, not per ticket.
    expect(rows[0]?.account.openTickets.map((t) => t.title)).toEqual([ticketList[0]?.title, 'Review access']);
  });

  it('resolves 100 Account references with their server names in at most 4 upstream requests', async () => {
    const res = await supergraph.query<{
      tickets: Array<{ account: { name: string; server: { name: string } | null } }>;
    }>('{ tickets { account { name server { name } } } }');
    const cost = upstreamRequests(stack);
    expect(res.errors).toBeUndefined();
    const distinct = new Set(ticketList.map((t) => t.accountPamId));
    expect(distinct.size).toBe(100);
    expect(res.data?.tickets.slice(0, 100)).toEqual(
      accounts.map((a) => ({ account: { name: a.name, server: a.server ? { name: a.server.name } : null } })),
    );
    expect(cost).toBeGreaterThan(0);
    expect(cost).toBeLessThanOrEqual(4);
  });

  it('answers null for a reference pamgraph does not know, and keeps the others', async () => {
    const res = await stack.query<{ _entities: Array<{ name: string } | null> }>(
      `{ _entities(representations: [
          { __typename: "Account", pamId: "999999" },
          { __typename: "Account", pamId: "${accounts[1]?.id}" }
        ]) { ... on Account { name } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities).toEqual([null, { name: accounts[1]?.name }]);
  });
});
