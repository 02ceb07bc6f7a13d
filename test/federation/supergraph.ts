/**
 * A real supergraph in process: pamgraph (listening on loopback, as a router reaches it) and the tickets
 * subgraph, composed by @theguild/federation-composition and served by Hive Gateway's runtime.
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import { type CompositionResult, composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import type { Stack } from '../support/stack.js';
import { closeServer, type RunningTickets, TICKETS_SDL } from './tickets-subgraph.js';

/** The committed subgraph SDL, as a composition pipeline (rover, Hive CLI) would read it. */
export const COMMITTED_SUBGRAPH_SDL = readFileSync(
  new URL('../../subgraph.graphql', import.meta.url),
  'utf8',
);

export interface ListeningPamgraph {
  url: string;
  stop(): Promise<void>;
}

/** Mounts the stack's gateway on 127.0.0.1, on a free port: a federation router calls it over HTTP. */
export async function listenPamgraph(stack: Stack): Promise<ListeningPamgraph> {
  const server: Server = createServer(stack.gateway.yoga);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/graphql`, stop: () => closeServer(server) };
}

export function compose(
  pamgraphSdl: string,
  pamgraphUrl: string,
  tickets: RunningTickets,
): CompositionResult {
  return composeServices([
    { name: 'pamgraph', typeDefs: parse(pamgraphSdl), url: pamgraphUrl },
    { name: 'tickets', typeDefs: parse(TICKETS_SDL), url: tickets.url },
  ]);
}

export interface GatewayResponse<T> {
  data?: T | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

export interface Supergraph {
  runtime: GatewayRuntime;
  query<T>(query: string, headers?: Record<string, string>): Promise<GatewayResponse<T>>;
}

/**
 * Hive Gateway over a composed supergraph. `forwardHeaders` are the request headers it propagates to every
 * subgraph: what a router must be configured with for pamgraph to act as the caller (CREDENTIAL_MODE=forward).
 */
export function startSupergraph(supergraphSdl: string, forwardHeaders: readonly string[] = []): Supergraph {
  const runtime = createGatewayRuntime({
    supergraph: supergraphSdl,
    logging: false,
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) =>
        Object.fromEntries(forwardHeaders.map((name) => [name, request.headers.get(name)])),
    },
  });
  return {
    runtime,
    async query<T>(query: string, headers: Record<string, string> = {}) {
      const response = await runtime.fetch('http://supergraph.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query }),
      });
      return (await response.json()) as GatewayResponse<T>;
    },
  };
}

/** Requests both upstream simulators received since the last `resetRecords`. */
export function upstreamRequests(stack: Stack): number {
  return stack.sims.pam.requests.count + stack.sims.audit.requests.count;
}
