/**
 * The shared views' own benchmarks (issue 11):
 *
 * - **warm single operations** (0 ms upstream latency): the account page one client at a time, and 50 accounts
 *   with their servers at 8 connections, each with `VIEWS=off` and with views on, interleaved in the same run; then
 *   the steady-state upstream request rate of one scope under that load, counted by the simulators;
 * - **scale**: 200,000 audit entries and 20,000 accounts. The build time of the Audit view, the bytes it takes per
 *   entry (heap measured after a full GC, and the view's own estimate), and an account's complete trail warm,
 *   checked against every entry of the organisation matched here, outside the gateway.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { accountMatchesEntry, type MatchAccount, type MatchServer } from '../src/match/index.js';
import { createGateway, type Gateway } from '../src/server.js';
import { DEMO_CREDENTIALS, startSimulators } from '../src/simulator/index.js';
import { MIX } from './load-mix.js';
import { type LoadResult, load, printTable, spawnServer } from './support.js';

const { pam, audit } = DEMO_CREDENTIALS;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function listen(gateway: Gateway): Promise<{ url: string; server: Server }> {
  const server = createServer(gateway.yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, server };
}

async function close(gateway: Gateway, server: Server): Promise<void> {
  server.close();
  server.closeAllConnections();
  await gateway.close();
}

function gatewayOver(pamUrl: string, auditUrl: string, env: Record<string, string>): Gateway {
  return createGateway({
    settings: { ...loadConfig(env), allowedHosts: 'any' },
    logger: createLogger({ level: 'warn' }),
    pam: { url: pamUrl, credentialMode: 'fallback', serviceCredential: pam.superadminToken },
    audit: { url: auditUrl, credentialMode: 'fallback', serviceCredential: audit.primaryKey },
  });
}

async function post<T>(url: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(`query failed: ${JSON.stringify(body.errors).slice(0, 300)}`);
  return body.data as T;
}

const mixQuery = (name: string) => {
  const q = MIX.find((m) => m.name === name);
  if (!q) throw new Error(`no query ${name} in the load mix`);
  return q;
};

export async function benchWarm(durationSeconds: number, rounds: number): Promise<void> {
  // In this process, so that the upstream requests of the steady state can be counted.
  const sims = await startSimulators({ recordLimit: 1000 });
  const gateways = {
    off: gatewayOver(sims.pam.url, sims.audit.url, { VIEWS: 'off' }),
    on: gatewayOver(sims.pam.url, sims.audit.url, {}),
  };
  const servers = { off: await listen(gateways.off), on: await listen(gateways.on) };
  try {
    const rows = [];
    for (const [name, connections] of [
      ['account page', 1],
      ['50 accounts + servers', 8],
    ] as const) {
      const q = mixQuery(name);
      const measure = (mode: 'on' | 'off', seconds: number) => {
        let i = 0;
        return load({
          url: servers[mode].url,
          connections,
          durationSeconds: seconds,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          next: () => ({ path: '/graphql', body: q.body(i++) }),
        });
      };
      for (const mode of ['on', 'off'] as const) await measure(mode, Math.max(2, durationSeconds / 2));
      const runs: Record<'on' | 'off', LoadResult[]> = { on: [], off: [] };
      for (let round = 0; round < rounds; round++) {
        for (const mode of round % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const))
          runs[mode].push(await measure(mode, durationSeconds));
      }
      const rps = (mode: 'on' | 'off') => median(runs[mode].map((r) => r.requestsPerSecond));
      const p50 = (mode: 'on' | 'off') => median(runs[mode].map((r) => r.p50Ms));
      rows.push({
        query: name,
        connections,
        'req/s views on': rps('on'),
        'req/s VIEWS=off': rps('off'),
        'on / off': `${(rps('on') / Math.max(1, rps('off'))).toFixed(1)}×`,
        'p50 on / off (ms)': `${p50('on')} / ${p50('off')}`,
        failures: runs.on.concat(runs.off).reduce((sum, r) => sum + r.non2xx + r.errors + r.graphqlErrors, 0),
      });
    }
    printTable(
      `Views, warm single operations (0 ms upstream latency, simulators in this process; medians of ${rounds} interleaved rounds of ${durationSeconds} s)`,
      rows,
    );

    // Steady state: one scope under the whole mix, views on; what reaches the upstreams per second.
    const seconds = Math.max(10, durationSeconds);
    const before = { pam: sims.pam.requests.received, audit: sims.audit.requests.received };
    await Promise.all(
      MIX.map((q) => {
        let i = 0;
        return load({
          url: servers.on.url,
          connections: 4,
          durationSeconds: seconds,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          next: () => ({ path: '/graphql', body: q.body(i++) }),
        });
      }),
    );
    const rate = (n: number) => (n / seconds).toFixed(2);
    printTable(
      `Views, steady-state upstream requests of one scope (the four queries of the load mix, 16 connections, ${seconds} s, VIEW_MAX_AGE_MS=5000)`,
      [
        {
          'PAM req/s': rate(sims.pam.requests.received - before.pam),
          'Audit req/s': rate(sims.audit.requests.received - before.audit),
        },
      ],
    );
  } finally {
    await close(gateways.off, servers.off.server);
    await close(gateways.on, servers.on.server);
    await sims.stop();
  }
}

interface RawEntry {
  id: string;
  ipaddress: string;
  device_account: string;
  connection_protocol: string;
}

/** Every entry of the primary organisation, straight from the simulator. */
async function allEntries(auditUrl: string): Promise<RawEntry[]> {
  const all: RawEntry[] = [];
  for (let page = 1; ; page++) {
    const res = await fetch(
      `${auditUrl}/ux/nccm/jobs-account-audit/?items_per_page=500&page=${page}&sort=creationtime&reverse=true`,
      { headers: { authorization: audit.primaryKey } },
    );
    const batch = (await res.json()) as RawEntry[];
    all.push(...batch);
    if (batch.length < 500) return all;
  }
}

export async function benchScale(auditEntries = 200_000, accounts = 20_000): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const heap = () => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  const sims = await spawnServer<{ pamUrl: string; auditUrl: string }>('serve-simulators.ts', {
    SIMULATOR_AUDIT_ENTRIES: String(auditEntries),
    SIMULATOR_ACCOUNTS: String(accounts),
    SIMULATOR_SERVERS: String(Math.round(accounts / 10)),
  });
  const gateway = gatewayOver(sims.info.pamUrl, sims.info.auditUrl, { AUDIT_SCAN_MAX_ENTRIES: '100000' });
  const { url, server } = await listen(gateway);
  try {
    // Warm the PAM views first, so that the heap difference below is the Audit view's alone.
    await post(
      url,
      '{ accounts(first: 1) { edges { node { id } } } servers(first: 1) { edges { node { id } } } }',
    );
    const heapBefore = heap();
    let started = performance.now();
    await post(url, '{ auditEntries(first: 1) { edges { node { id } } } }');
    const buildMs = performance.now() - started;
    const heapView = heap();
    const view = [...(gateway.views?.audit.views() ?? [])][0]?.[1].view;
    const data = view ? await view.data() : undefined;
    const entries = data?.entries.length ?? 0;

    // An account of the busiest device login that has a trail: the first matched account of the newest entries.
    type Matched = { auditEntries: { edges: Array<{ node: { accounts: Array<{ pamId: string }> } }> } };
    const newest = await post<Matched>(
      url,
      '{ auditEntries(first: 100) { edges { node { accounts { pamId } } } } }',
    );
    const accountId = newest.auditEntries.edges.flatMap((e) => e.node.accounts)[0]?.pamId;
    if (!accountId) throw new Error('no audit entry of the data set matches an account');
    const TRAIL = `query ($id: ID!) { account(id: $id) { name credentials { login domain }
      server { pamId address mask protocol } auditEntries(first: 100) { truncated edges { node { auditId } } } } }`;
    type Trail = {
      account: {
        credentials: { login: string; domain: string | null };
        server: { pamId: string; address: string; mask: number | null; protocol: string };
        auditEntries: { truncated: boolean; edges: Array<{ node: { auditId: string } }> };
      };
    };
    started = performance.now();
    const cold = await post<Trail>(url, TRAIL, { id: accountId });
    const indexMs = performance.now() - started;
    const heapIndexed = heap();
    const times: number[] = [];
    for (let i = 0; i < 50; i++) {
      started = performance.now();
      await post<Trail>(url, TRAIL, { id: accountId });
      times.push(performance.now() - started);
    }

    // The complete trail, computed here from every entry of the organisation.
    const { account } = cold;
    const matchServer: MatchServer = {
      id: Number(account.server.pamId),
      address: account.server.address,
      mask: account.server.mask,
      protocol: account.server.protocol.toLowerCase(),
    };
    const matchAccount: MatchAccount = {
      id: Number(accountId),
      serverId: matchServer.id,
      login: account.credentials.login,
      domain: account.credentials.domain,
    };
    const expected = (await allEntries(sims.info.auditUrl))
      .filter((e) =>
        accountMatchesEntry(matchAccount, matchServer, {
          ipAddress: e.ipaddress,
          deviceAccount: e.device_account,
          connectionProtocol: e.connection_protocol,
        }),
      )
      .map((e) => e.id);
    const got = account.auditEntries.edges.map((e) => e.node.auditId);
    const complete = JSON.stringify(got) === JSON.stringify(expected.slice(0, 100));

    // A filtered, ordered and counted page over the whole organisation: warm view, then VIEWS=off (a bounded scan).
    const FILTERED =
      '{ auditEntries(first: 20, filter: { connectionStatus: ["failed"], jobName: { contains: "backup" } }, ' +
      'orderBy: { field: JOB_NAME, direction: ASC }) { totalCount truncated edges { node { auditId } } } }';
    type Filtered = { auditEntries: { totalCount: number | null; truncated: boolean } };
    const filteredTimes: number[] = [];
    let filtered: Filtered | undefined;
    for (let i = 0; i < 20; i++) {
      started = performance.now();
      filtered = await post<Filtered>(url, FILTERED);
      filteredTimes.push(performance.now() - started);
    }
    // Ordered by another field than the default, unfiltered: the whole organisation in that order, counted.
    const ORDERED =
      '{ auditEntries(first: 20, orderBy: { field: JOB_NAME, direction: DESC }) { totalCount edges { node { auditId } } } }';
    const orderedTimes: number[] = [];
    let orderedCount: number | null = null;
    for (let i = 0; i < 20; i++) {
      started = performance.now();
      orderedCount = (await post<Filtered>(url, ORDERED)).auditEntries.totalCount;
      orderedTimes.push(performance.now() - started);
    }
    const off = gatewayOver(sims.info.pamUrl, sims.info.auditUrl, {
      VIEWS: 'off',
      AUDIT_SCAN_MAX_ENTRIES: '100000',
    });
    const offServer = await listen(off);
    started = performance.now();
    const offResult = await post<Filtered>(offServer.url, FILTERED);
    const offMs = performance.now() - started;
    await close(off, offServer.server);

    printTable(
      `Views, scale: ${auditEntries.toLocaleString('en')} audit entries (${entries.toLocaleString('en')} in the organisation's view), ${accounts.toLocaleString('en')} accounts, 0 ms latency, gateway in this process`,
      [
        {
          'view build (ms)': Math.round(buildMs),
          'bytes/entry, heap': entries ? Math.round((heapView - heapBefore) / entries) : '?',
          'bytes/entry, estimate': entries && data ? Math.round(data.bytes / entries) : '?',
          'indexes (ms, bytes/entry)': `${Math.round(indexMs)}, ${entries ? Math.round((heapIndexed - heapView) / entries) : '?'}`,
          'trail p50 warm (ms)': median(times).toFixed(1),
          'trail entries, truncated': `${got.length} of ${expected.length}, ${account.auditEntries.truncated}`,
          'complete and in order': complete ? 'yes' : 'NO',
        },
      ],
    );
    printTable(
      'Views, scale: a filtered, ordered and counted page of audit entries (connection status failed, job name ' +
        'containing "backup", by job name)',
      [
        {
          mode: 'warm view (p50 of 20)',
          ms: median(filteredTimes).toFixed(1),
          totalCount: filtered?.auditEntries.totalCount ?? 'null',
          truncated: String(filtered?.auditEntries.truncated),
        },
        {
          mode: 'warm view, no filter, by job name descending: first request / p50 of the next 19',
          ms: `${orderedTimes[0]?.toFixed(1)} / ${median(orderedTimes.slice(1)).toFixed(1)}`,
          totalCount: orderedCount ?? 'null',
          truncated: 'false',
        },
        {
          mode: 'VIEWS=off (one request, AUDIT_SCAN_MAX_ENTRIES=100000)',
          ms: Math.round(offMs),
          totalCount: offResult.auditEntries.totalCount ?? 'null',
          truncated: String(offResult.auditEntries.truncated),
        },
      ],
    );
  } finally {
    await close(gateway, server);
    await sims.stop();
  }
}
