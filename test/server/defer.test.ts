/**
 * `@defer` (issue 12 §4): a deferred account page answers over multipart/mixed, and its first part (the account
 * without its audit trail) leaves before the Audit API has answered. Read with meros, a client of incremental
 * delivery, through a real socket; VIEWS=off and a slow Audit simulator, judged from the simulator's records.
 */
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { meros } from 'meros/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/stack.js';

interface Part {
  json: boolean;
  body: {
    data?: { account?: { name?: string; auditEntries?: unknown } };
    incremental?: Array<{ path: unknown[]; data: { auditEntries?: { edges: unknown[] } } }>;
    hasNext?: boolean;
    errors?: unknown;
  };
}

describe('@defer over multipart/mixed', () => {
  let stack: Stack;
  let server: Server;
  let url: string;
  beforeAll(async () => {
    stack = await startStack({ settings: { views: false } });
    server = createServer(stack.gateway.yoga);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await stack.stop();
  });

  it('sends the account first and its audit trail when the Audit API has answered', async () => {
    const id = String(stack.sims.pam.state.accounts.list().find((a) => a.credentials)?.id);
    stack.sims.audit.setLatency(700);
    stack.resetRecords();
    try {
      const body = JSON.stringify({
        query: `query ($id: ID!) { account(id: $id) { name server { name }
          ... @defer(label: "trail") { auditEntries(first: 5) { edges { node { auditId } } } } } }`,
        variables: { id },
      });
      const res = await new Promise<IncomingMessage>((resolve, reject) => {
        const req = request(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'multipart/mixed; deferSpec=20220824, application/json',
            'content-length': Buffer.byteLength(body),
          },
        });
        req.once('response', resolve).once('error', reject);
        req.end(body);
      });
      expect(res.headers['content-type']).toMatch(/^multipart\/mixed/);
      const parts = await meros<Part['body']>(res);
      if (!(Symbol.asyncIterator in Object(parts))) throw new Error('not a multipart response');
      const received: Array<{ at: number; part: Part }> = [];
      for await (const part of parts as AsyncIterable<Part>) received.push({ at: performance.now(), part });

      expect(received.length).toBeGreaterThanOrEqual(2);
      const [first, ...rest] = received;
      expect(first?.part.body.data?.account?.name).toBe(stack.sims.pam.state.accounts.get(Number(id))?.name);
      expect(first?.part.body.data?.account?.auditEntries).toBeUndefined();
      expect(first?.part.body.hasNext).toBe(true);
      const trail = rest.flatMap((r) => r.part.body.incremental ?? []);
      expect(trail[0]?.data.auditEntries?.edges.length).toBeGreaterThan(0);
      expect(rest.at(-1)?.part.body.hasNext).toBe(false);

      // The first part arrived before any Audit API request had been answered; the trail after.
      const audit = stack.sims.audit.requests.list();
      expect(audit.length).toBeGreaterThan(0);
      const firstAnswered = Math.min(...audit.map((r) => r.endedAt));
      expect(first?.at).toBeLessThan(firstAnswered);
      expect(rest.at(-1)?.at).toBeGreaterThan(firstAnswered);

      // The operation is logged once its last part went out, with every upstream request of every part.
      const lines = stack.logs.lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'operation');
      const sent = stack.sims.pam.requests.count + stack.sims.audit.requests.count;
      expect(lines.at(-1)?.upstreamRequests).toBe(sent);
      expect(lines.at(-1)?.durationMs).toBeGreaterThanOrEqual(600);
    } finally {
      stack.sims.audit.setLatency(0);
    }
  });
});
