/**
 * DNS rebinding and framing, over a real socket: a request whose `Host` is not an allowed name is refused
 * before anything runs (a rebound page keeps its own name in `Host`), and no answer may be framed.
 */
import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AllowedHosts } from '../../src/config.js';
import { type Stack, startStack } from '../support/stack.js';

interface Listening {
  stack: Stack;
  server: Server;
  port: number;
}

async function listen(allowedHosts: AllowedHosts): Promise<Listening> {
  const stack = await startStack({ settings: { allowedHosts } });
  const server = createServer(stack.gateway.yoga);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { stack, server, port: (server.address() as AddressInfo).port };
}

async function close(l: Listening): Promise<void> {
  l.server.closeAllConnections();
  await new Promise((resolve) => l.server.close(resolve));
  await l.stack.stop();
}

/** A JSON POST over the socket with the given Host header, as a rebound browser page would send it. */
function post(port: number, host: string, path = '/graphql', accept = 'application/json') {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path,
          method: path === '/graphql' ? 'POST' : 'GET',
          headers: { host, 'content-type': 'application/json', accept, origin: `http://${host}` },
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            body += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      req.end(
        path === '/graphql'
          ? JSON.stringify({ query: '{ accounts(first: 1) { edges { node { name } } } }' })
          : undefined,
      );
    },
  );
}

let loopback: Listening;
let listed: Listening;
beforeAll(async () => {
  [loopback, listed] = await Promise.all([listen('loopback'), listen(['pamgraph.example.com'])]);
});
afterAll(async () => {
  await Promise.all([close(loopback), close(listed)]);
});
beforeEach(() => {
  loopback.stack.resetRecords();
  listed.stack.resetRecords();
});

describe('Host check (DNS rebinding)', () => {
  it('answers loopback names on a loopback gateway', async () => {
    for (const host of [
      `127.0.0.1:${loopback.port}`,
      `localhost:${loopback.port}`,
      `[::1]:${loopback.port}`,
    ]) {
      const res = await post(loopback.port, host);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body).data.accounts.edges).toHaveLength(1);
    }
  });

  it('refuses a rebound name with 403 HOST_NOT_ALLOWED, before any upstream request', async () => {
    for (const host of [
      `rebind.attacker.test:${loopback.port}`,
      'rebind.attacker.test',
      '127.0.0.1.attacker.test',
    ]) {
      const res = await post(loopback.port, host);
      expect(res.status).toBe(403);
      const body = JSON.parse(res.body) as {
        data?: unknown;
        errors: Array<{ extensions: { code: string } }>;
      };
      expect(body.data).toBeUndefined();
      expect(body.errors.map((e) => e.extensions.code)).toEqual(['HOST_NOT_ALLOWED']);
    }
    const page = await post(
      loopback.port,
      `rebind.attacker.test:${loopback.port}`,
      '/graphql?x',
      'text/html',
    );
    expect(page.status).toBe(403);
    expect(page.body).not.toMatch(/<html/i);
    expect(loopback.stack.sims.pam.requests.count + loopback.stack.sims.audit.requests.count).toBe(0);
    // Each refusal has its access-log line, naming the Host it came with, under the id echoed to the caller.
    const refusals = loopback.stack.logs.lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter(
        (l) => l.msg === 'operation' && (l.errorCodes as string[] | undefined)?.[0] === 'HOST_NOT_ALLOWED',
      );
    expect(refusals.map((l) => l.host)).toEqual(
      expect.arrayContaining([`rebind.attacker.test:${loopback.port}`, '127.0.0.1.attacker.test']),
    );
    expect(refusals).toHaveLength(4);
    expect(refusals.map((l) => l.requestId)).toContain(page.headers['x-request-id']);
  });

  it('answers exactly the names in ALLOWED_HOSTS', async () => {
    expect((await post(listed.port, 'pamgraph.example.com')).status).toBe(200);
    expect((await post(listed.port, 'PAMGRAPH.example.com:443')).status).toBe(200);
    expect((await post(listed.port, `127.0.0.1:${listed.port}`)).status).toBe(403);
    expect((await post(listed.port, 'pamgraph.example.com.attacker.test')).status).toBe(403);
  });
});

describe('framing', () => {
  it('forbids framing of every answer, the GraphiQL page included', async () => {
    const page = await post(loopback.port, `127.0.0.1:${loopback.port}`, '/graphql?page', 'text/html');
    expect(page.body).toMatch(/<html/i);
    const json = await post(loopback.port, `127.0.0.1:${loopback.port}`);
    for (const { headers } of [page, json]) {
      expect(headers['x-frame-options']).toBe('DENY');
      expect(headers['content-security-policy']).toBe("frame-ancestors 'none'");
    }
  });
});
