/**
 * The pieces of the browser test: the attacker's web site, a permissive stand-in for the gateway, a real
 * gateway listening on loopback with a log of what it answered, and Debian's Chromium driven by playwright-core.
 * Everything binds 127.0.0.1 on port 0; another port is another origin.
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page, type Response } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { type Behaviour, type FaultServer, startFaultServer } from '../support/fault-server.js';
import { type Stack, type StackOptions, startStack } from '../support/stack.js';

const ATTACK_SCRIPT = readFileSync(new URL('./attack-page.js', import.meta.url), 'utf8');

const ATTACK_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>attacker</title><script src="/attack-page.js"></script></head>
<body></body></html>`;

/** The same page again inside an iframe whose sandbox lacks allow-same-origin: its origin is `null`. */
const SANDBOXED_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>attacker, sandboxed</title></head>
<body><iframe name="sandboxed" sandbox="allow-scripts allow-forms" src="/attack.html"></iframe></body></html>`;

const PAGES: Record<string, { type: string; body: string }> = {
  '/attack.html': { type: 'text/html; charset=utf-8', body: ATTACK_HTML },
  '/sandboxed.html': { type: 'text/html; charset=utf-8', body: SANDBOXED_HTML },
  '/attack-page.js': { type: 'text/javascript; charset=utf-8', body: ATTACK_SCRIPT },
};

/** The attacker's web site: `/attack.html` (cross-origin page) and `/sandboxed.html` (it, in a sandbox). */
export async function startAttackerSite(): Promise<FaultServer> {
  const site = await startFaultServer();
  site.setFallback((req, res) => {
    const page = PAGES[new URL(req.url ?? '/', 'http://site.invalid').pathname];
    if (!page) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': page.type, 'cache-control': 'no-store' });
    res.end(page.body);
  });
  return site;
}

/** What the stand-in answers to every request but a preflight: readable account names. */
export const STAND_IN_NAMES = ['stand-in-alpha', 'stand-in-beta', 'stand-in-gamma'];

/**
 * A gateway stand-in that executes nothing and allows everything: every origin echoed (`null` included),
 * credentials allowed, any requested header allowed, `x-request-id` exposed. The fault server records each
 * request (method, headers, body).
 */
const permissive: Behaviour = (req, res) => {
  const cors = {
    'access-control-allow-origin': req.headers.origin ?? '*',
    'access-control-allow-credentials': 'true',
    'access-control-expose-headers': 'x-request-id',
    vary: 'Origin',
  };
  if (req.method === 'OPTIONS') {
    res.writeHead(204, {
      ...cors,
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': req.headers['access-control-request-headers'] ?? 'content-type',
      // No preflight cache: every run must really ask.
      'access-control-max-age': '0',
    });
    res.end();
    return;
  }
  const edges = STAND_IN_NAMES.map((name) => ({ node: { name } }));
  res.writeHead(200, {
    ...cors,
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'x-request-id': 'stand-in-request',
  });
  res.end(JSON.stringify({ data: { accounts: { edges } } }));
};

export async function startStandIn(): Promise<FaultServer> {
  const standIn = await startFaultServer();
  standIn.setFallback(permissive);
  return standIn;
}

/** One request a listening gateway answered, as its HTTP server saw it. */
export interface AnsweredRequest {
  method: string;
  /** Media type without parameters (no multipart boundary), or '' when absent. */
  contentType: string;
  origin: string | undefined;
  /** `sec-fetch-mode` as Chromium sent it: navigate (forms), no-cors, cors. */
  mode: string | undefined;
  status: number;
}

export interface ListeningGateway {
  /** `http://127.0.0.1:<port>/graphql` */
  url: string;
  answered: AnsweredRequest[];
  stop(): Promise<void>;
}

/** Mounts a request listener (a Yoga instance) on node:http, 127.0.0.1 port 0, logging every answer. */
export async function listenGateway(handler: RequestListener): Promise<ListeningGateway> {
  const answered: AnsweredRequest[] = [];
  const server = createServer((req, res) => {
    res.on('finish', () => {
      const header = (name: string) => {
        const value = req.headers[name];
        return typeof value === 'string' ? value : undefined;
      };
      answered.push({
        method: req.method ?? '',
        contentType: (header('content-type') ?? '').split(';')[0]?.trim() ?? '',
        origin: header('origin'),
        mode: header('sec-fetch-mode'),
        status: res.statusCode,
      });
    });
    handler(req, res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    answered,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Chromium keeps idle keep-alive connections open; close() alone would wait for them.
      server.closeAllConnections();
      await closed;
    },
  };
}

/** Debian's Chromium, headless, with a fresh profile. */
export function launchChromium(): Promise<Browser> {
  const args = [
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    // Without these, Chromium's own background connections are refused on a closed network and slow it down.
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ];
  // Chromium's sandbox cannot start as root (CI containers).
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args, timeout: 60_000 });
}

export interface GraphiQLInChromium {
  readonly stack: Stack;
  readonly gateway: ListeningGateway;
  readonly browser: Browser;
}

/**
 * For a test file of GraphiQL in Chromium: a stack with `options`, its gateway listening on loopback, and the browser,
 * started before the file's tests and stopped after them.
 */
export function graphiqlInChromium(options: StackOptions = {}): GraphiQLInChromium {
  let stack: Stack | undefined;
  let gateway: ListeningGateway | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    stack = await startStack(options);
    gateway = await listenGateway(stack.gateway.yoga);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    await stack?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('GraphiQL in Chromium is not started (beforeAll)');
    return value;
  };
  return {
    get stack() {
      return started(stack);
    },
    get gateway() {
      return started(gateway);
    },
    get browser() {
      return started(browser);
    },
  };
}

/** The URLs of the page's requests to any host but 127.0.0.1 (none may leave the machine). */
export function externalRequests(page: Page): string[] {
  const external: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol.startsWith('http') && url.hostname !== '127.0.0.1') external.push(request.url());
  });
  return external;
}

/** Runs the query in GraphiQL's editor and resolves with the gateway's answer to the POST that carries `operation`. */
export async function runInGraphiql(page: Page, url: string, operation: string): Promise<Response> {
  const answer = page.waitForResponse(
    (response) =>
      response.url() === url &&
      response.request().method() === 'POST' &&
      (response.request().postData() ?? '').includes(operation),
    { timeout: 45_000 },
  );
  await page.click('.graphiql-execute-button');
  return answer;
}
