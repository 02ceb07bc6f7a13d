/**
 * "tickets": a small second subgraph, as another team would write it with the usual tools (@apollo/subgraph,
 * graphql-yoga). It stores only the PAM account number of each ticket, so it references pamgraph's `Account`
 * by its `pamId` key, and adds `openTickets` to `Account`: the two directions a federated join can take.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';

export interface Ticket {
  id: string;
  title: string;
  open: boolean;
  /** The PAM id of the account the ticket is about. */
  accountPamId: string;
}

export const TICKETS_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])

  type Query {
    "Every ticket, ascending by id."
    tickets: [Ticket!]!
  }

  "A support ticket about one privileged account."
  type Ticket @key(fields: "id") {
    id: ID!
    title: String!
    open: Boolean!
    "The account the ticket is about; its fields come from pamgraph."
    account: Account!
  }

  type Account @key(fields: "pamId") {
    pamId: ID!
    "Open tickets about this account, ascending by id."
    openTickets: [Ticket!]!
  }
`;

export interface RunningTickets {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:40123/graphql`. */
  url: string;
  /** How many GraphQL requests the subgraph received (its `_entities` calls included). */
  requests(): number;
  stop(): Promise<void>;
}

function ticketsSchema(tickets: readonly Ticket[]) {
  const accountRef = (ticket: Ticket) => ({ pamId: ticket.accountPamId });
  return buildSubgraphSchema({
    typeDefs: parse(TICKETS_SDL),
    resolvers: {
      Query: { tickets: () => tickets },
      Ticket: {
        account: accountRef,
        __resolveReference: (ref: { id: string }) => tickets.find((t) => t.id === ref.id) ?? null,
      },
      Account: {
        // Whatever account pamgraph names, tickets knows it only by number: the reference is the object.
        __resolveReference: (ref: { pamId: string }) => ({ pamId: ref.pamId }),
        openTickets: (account: { pamId: string }) =>
          tickets.filter((t) => t.open && t.accountPamId === account.pamId),
      },
    },
  });
}

/** Serves the subgraph on 127.0.0.1, on a free port. */
export async function startTickets(tickets: readonly Ticket[]): Promise<RunningTickets> {
  let count = 0;
  const yoga = createYoga({
    schema: ticketsSchema(tickets),
    logging: false,
    landingPage: false,
    plugins: [{ onRequest: () => void count++ }],
  });
  const server: Server = createServer(yoga);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    requests: () => count,
    stop: () => closeServer(server),
  };
}

/** Closes a listening server, dropping idle keep-alive connections a gateway may hold open. */
export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
}
