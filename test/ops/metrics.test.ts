/**
 * Prometheus metrics (issue 13 §3), scraped from a real gateway process on its own listener: the families an operator
 * needs (operations, upstream requests by route template, retries, circuits, budget refusals, views, subscriptions,
 * Node's process metrics), labels that stay bounded after many distinct operation names and ids, no credential in any
 * label, and nothing on the public port.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GatewayProcess,
  killGatewayProcesses,
  startGatewayProcess,
} from '../support/gateway-process.js';
import { sleep } from '../support/sse.js';

const SMALL = {
  SIMULATOR_ACCOUNTS: '300',
  SIMULATOR_SERVERS: '20',
  SIMULATOR_SAFES: '5',
  SIMULATOR_LISTENERS: '3',
  SIMULATOR_USERS: '10',
  SIMULATOR_AUDIT_ENTRIES: '300',
  DRAIN_DELAY_MS: '0',
};
const CANARY = 'canary-credential-7f3a9c';

afterAll(killGatewayProcesses);

async function post(url: string, query: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
}

/** The samples of one family: labels → value. */
function samples(text: string, family: string): Array<{ labels: Record<string, string>; value: number }> {
  const out: Array<{ labels: Record<string, string>; value: number }> = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${family}{`) && !line.startsWith(`${family} `)) continue;
    const match = /^[^{ ]+(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[1] ?? '').matchAll(/(\w+)="([^"]*)"/g))
      labels[pair[1] as string] = pair[2] as string;
    out.push({ labels, value: Number(match[2]) });
  }
  return out;
}

describe('metrics', () => {
  let gateway: GatewayProcess;
  let url: string;
  let metricsUrl: string;
  beforeAll(async () => {
    gateway = startGatewayProcess({
      PORT: '0',
      LOG_LEVEL: 'info',
      ...SMALL,
      UPSTREAM_REQUEST_BUDGET: '3',
      METRICS_MAX_OPERATION_NAMES: '5',
    });
    url = await gateway.ready;
    metricsUrl = await gateway.metricsUrl;
  }, 30_000);

  it('serve the families an operator needs, apart from the public port', async () => {
    expect(new URL(metricsUrl).hostname).toBe('127.0.0.1');
    expect(new URL(metricsUrl).port).not.toBe(new URL(url).port);
    expect((await fetch(url.replace(/\/graphql$/, '/metrics'))).status).toBe(404);

    await post(url, 'query FirstAccounts { accounts(first: 2) { edges { node { name } } } }');
    await post(url, '{ servers(first: 1) { edges { node { name } } } }');
    await post(url, 'query Trail { auditEntries(first: 2) { edges { node { auditId } } } }');
    // Refused at validation.
    await post(url, 'query Broken { nope }');
    // Over the budget of 3 requests, with views bypassed: each account's granted users is one request.
    const over = await post(
      url,
      'query OverBudget { accounts(first: 10) { edges { node { grantedUsers { name } } } } }',
      { 'cache-control': 'no-cache' },
    );
    expect(JSON.stringify(over.errors)).toContain('UPSTREAM_BUDGET_EXCEEDED');
    // Its access log line names it, with its error codes (the child prints it around the time it answers).
    const lineOf = (name: string) =>
      gateway
        .output()
        .split('\n')
        .find((l) => l.includes(`"operationName":"${name}"`) && l.includes('"msg":"operation"'));
    for (let i = 0; i < 100 && !lineOf('OverBudget'); i++) await sleep(20);
    const line = lineOf('OverBudget');
    expect(line && JSON.parse(line)).toMatchObject({
      msg: 'operation',
      errorCodes: ['UPSTREAM_BUDGET_EXCEEDED'],
      upstreamRequests: 3,
    });
    expect(typeof (line && JSON.parse(line).durationMs)).toBe('number');
    // One refused at validation has its line too.
    const broken = lineOf('Broken');
    expect(broken && JSON.parse(broken)).toMatchObject({
      errorCodes: ['GRAPHQL_VALIDATION_FAILED'],
      upstreamRequests: 0,
    });
    // Refused before validation: a document that does not parse, a persisted-document hash this gateway does not
    // keep, a request with no document. Each has its line and its count.
    const unparsed = await post(url, '{ accounts(first: ');
    expect(unparsed.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const hashOnly = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } },
      }),
    });
    const hashOnlyBody = (await hashOnly.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
    expect(hashOnlyBody.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const empty = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const emptyBody = (await empty.json()) as { errors?: Array<{ message?: string }> };
    expect(emptyBody.errors?.[0]?.message).toMatch(/query/i);
    // A cross-site form post: CSRF prevention refuses it before it is parsed, and the refusal is counted too.
    const forged = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(forged.status).toBe(403);
    // A page on another name rebound to this gateway (DNS rebinding): refused on its Host, logged and counted too.
    const rebound = await new Promise<number>((resolve, reject) => {
      const target = new URL(url);
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: { host: 'rebind.attacker.test', 'content-type': 'application/json' },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ query: '{ __typename }' }));
    });
    expect(rebound).toBe(403);
    const refusedLines = () =>
      gateway
        .output()
        .split('\n')
        .filter(
          (l) =>
            l.includes('"msg":"operation"') &&
            l.includes('"operationName":null') &&
            l.includes('"errorCodes"'),
        )
        .map(
          (l) => JSON.parse(l) as { errorCodes?: string[]; upstreamRequests?: number; requestId?: string },
        );
    for (let i = 0; i < 100 && refusedLines().length < 5; i++) await sleep(20);
    const refused = refusedLines().map((l) => l.errorCodes?.[0]);
    expect(refused).toContain('GRAPHQL_PARSE_FAILED');
    expect(refused).toContain('PERSISTED_QUERY_NOT_FOUND');
    expect(refused).toContain('BAD_REQUEST');
    expect(refused).toContain('CSRF_PREVENTED');
    expect(refused).toContain('HOST_NOT_ALLOWED');
    expect(refused).toHaveLength(5);
    for (const l of refusedLines()) {
      expect(l.upstreamRequests).toBe(0);
      expect(l.requestId).toBeTruthy();
    }
    // Who may manage two accounts, through the shared lists (one fetch per account, kind "list").
    await post(url, 'query Managers { accounts(first: 2) { edges { node { grantedUsers { name } } } } }');
    // One account by id, past the views: a request to /api/system/accounts/<id>.
    await post(url, 'query OneAccount { account(id: "7") { name } }', { 'cache-control': 'no-cache' });

    const text = await (await fetch(metricsUrl)).text();
    const operations = samples(text, 'pamgraph_operations_total');
    expect(operations).toContainEqual({
      labels: { operation: 'FirstAccounts', type: 'query', code: 'OK' },
      value: 1,
    });
    expect(operations.some((s) => s.labels.operation === 'anonymous' && s.labels.type === 'query')).toBe(
      true,
    );
    expect(
      operations.some(
        (s) => s.labels.operation === 'Broken' && s.labels.code === 'GRAPHQL_VALIDATION_FAILED',
      ),
    ).toBe(true);
    expect(
      operations.some(
        (s) => s.labels.operation === 'OverBudget' && s.labels.code === 'UPSTREAM_BUDGET_EXCEEDED',
      ),
    ).toBe(true);
    for (const code of [
      'GRAPHQL_PARSE_FAILED',
      'PERSISTED_QUERY_NOT_FOUND',
      'BAD_REQUEST',
      'CSRF_PREVENTED',
      'HOST_NOT_ALLOWED',
    ])
      expect(operations).toContainEqual({
        labels: { operation: 'anonymous', type: 'unknown', code },
        value: 1,
      });
    expect(operations.filter((s) => s.labels.type === 'unknown').reduce((sum, s) => sum + s.value, 0)).toBe(
      5,
    );
    expect(samples(text, 'pamgraph_operation_duration_seconds_count').length).toBeGreaterThan(0);

    const upstream = samples(text, 'pamgraph_upstream_requests_total');
    expect(upstream).toContainEqual(
      expect.objectContaining({
        labels: { upstream: 'pam', method: 'GET', route: '/api/system/accounts/:id', status_class: '2xx' },
      }),
    );
    expect(upstream.some((s) => s.labels.upstream === 'audit')).toBe(true);
    expect(samples(text, 'pamgraph_upstream_request_duration_seconds_count').length).toBeGreaterThan(0);
    expect(samples(text, 'pamgraph_request_budget_refusals_total')[0]?.value).toBeGreaterThan(0);
    expect(samples(text, 'pamgraph_upstream_circuit_open')).toEqual([
      { labels: { upstream: 'pam' }, value: 0 },
      { labels: { upstream: 'audit' }, value: 0 },
    ]);
    expect(text).toContain('pamgraph_upstream_retries_total');

    // The views (on by default): syncs, reads that hit fresh data and reads that waited, what they hold.
    const syncs = samples(text, 'pamgraph_view_syncs_total');
    expect(syncs.some((s) => s.labels.collection === 'accounts' && s.labels.outcome === 'ok')).toBe(true);
    expect(syncs).toContainEqual({
      labels: { collection: 'grantedUsers', kind: 'list', outcome: 'ok' },
      value: 2,
    });
    const reads = samples(text, 'pamgraph_view_reads_total');
    expect(reads.some((s) => s.labels.result === 'miss')).toBe(true);
    expect(samples(text, 'pamgraph_view_scopes')[0]?.value).toBeGreaterThan(0);
    expect(samples(text, 'pamgraph_view_entries')[0]?.value).toBeGreaterThan(0);
    expect(samples(text, 'pamgraph_view_bytes')[0]?.value).toBeGreaterThan(0);
    expect(samples(text, 'pamgraph_view_oldest_age_seconds')).toHaveLength(1);
    expect(samples(text, 'pamgraph_subscriptions')).toEqual([{ labels: {}, value: 0 }]);
    // Node's own.
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('count a live subscription', async () => {
    const controller = new AbortController();
    const stream = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription Live { auditEntryAdded { auditId } }' }),
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    const live = samples(await (await fetch(metricsUrl)).text(), 'pamgraph_subscriptions');
    expect(live).toEqual([{ labels: {}, value: 1 }]);
    controller.abort();
  });

  it('keep labels bounded after many distinct names and ids, and carry no credential', async () => {
    for (let i = 0; i < 40; i++) await post(url, `query Named${i} { __typename }`);
    for (let id = 1; id <= 60; id++)
      await post(url, `{ account(id: "${id}") { name } }`, { 'cache-control': 'no-cache' });
    await post(url, '{ accounts(first: 1) { edges { node { name } } } }', {
      'x-pam-token': CANARY,
      'x-audit-key': CANARY,
    });
    await sleep(100);
    const text = await (await fetch(metricsUrl)).text();
    expect(text).not.toContain(CANARY);

    const names = new Set(samples(text, 'pamgraph_operations_total').map((s) => s.labels.operation));
    // METRICS_MAX_OPERATION_NAMES=5, then `other`; anonymous operations have one value.
    expect(names.size).toBeLessThanOrEqual(5 + 2);
    expect(names).toContain('other');
    expect(names).toContain('anonymous');

    const routes = new Set(samples(text, 'pamgraph_upstream_requests_total').map((s) => s.labels.route));
    for (const route of routes) expect(route).not.toMatch(/\/\d+(\/|$)|\?/);
    expect(routes.size).toBeLessThan(15);
    // Every series of the gateway's own families, whatever was asked: a bounded number.
    const series = text.split('\n').filter((l) => l.startsWith('pamgraph_'));
    expect(series.length).toBeLessThan(400);
  });
});
