/**
 * The load scenario of the shared-views issue: many concurrent clients on a mix of four queries, the gateway in
 * forward mode (each client sends its own credentials), the simulators in another process with upstream latency.
 * Prints operations/s, p50 and p99 per query, failures, and the gateway's peak resident memory, for each gateway
 * configuration in `modes` (measured one after the other in the same run, each on a fresh gateway process).
 *
 * Two variants: one credential pair for every client, and the clients spread over four scopes (superadmin and
 * operator PAM tokens, each with a key of either organisation).
 */
import { readFileSync } from 'node:fs';
import { DEMO_CREDENTIALS } from '../src/simulator/index.js';
import { type LoadResult, load, printTable, spawnServer } from './support.js';

const { pam, audit } = DEMO_CREDENTIALS;

interface Scope {
  name: string;
  headers: Record<string, string>;
}

const SCOPES: Scope[] = [
  {
    name: 'superadmin+acme',
    headers: { 'x-pam-token': pam.superadminToken, 'x-audit-key': audit.primaryKey },
  },
  { name: 'operator+acme', headers: { 'x-pam-token': pam.operatorToken, 'x-audit-key': audit.primaryKey } },
  {
    name: 'superadmin+globex',
    headers: { 'x-pam-token': pam.superadminToken, 'x-audit-key': audit.secondaryKey },
  },
  {
    name: 'operator+globex',
    headers: { 'x-pam-token': pam.operatorToken, 'x-audit-key': audit.secondaryKey },
  },
];

interface MixQuery {
  name: string;
  /** The request body; `i` counts the requests of this query, to spread ids over the demo accounts. */
  body(i: number): string;
}

const byId = (query: string) => (i: number) =>
  JSON.stringify({ query, variables: { id: String(1 + (i % 200)) } });

export const MIX: MixQuery[] = [
  {
    name: '50 accounts + servers',
    body: () =>
      JSON.stringify({
        query: '{ accounts(first: 50) { edges { node { name server { name address } } } } }',
      }),
  },
  {
    name: '50 audit entries + matches',
    body: () =>
      JSON.stringify({
        query:
          '{ auditEntries(first: 50) { edges { node { jobName servers { name } accounts { name } } } } }',
      }),
  },
  {
    name: 'account by id',
    body: byId('query ($id: ID!) { account(id: $id) { name type blocked } }'),
  },
  {
    name: 'account page',
    body: byId(`query ($id: ID!) { account(id: $id) { name server { name address } safes { safe { name } listener { name } }
      grantedUsers { name } auditEntries(first: 5) { edges { node { createdAt jobName connectionStatus } } } } }`),
  },
];

/** The peak resident set of a process (Linux `VmHWM`), in MB; null where /proc is not available. */
export function peakRssMb(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

export interface LoadMixOptions {
  durationSeconds: number;
  connections: number;
  latencyMs: number;
  /** Gateway settings to compare, by label: e.g. `{ 'VIEWS=off': { VIEWS: 'off' }, default: {} }`. */
  modes: Record<string, Record<string, string>>;
  /** Spread the clients over the four scopes instead of one credential pair. */
  spreadScopes: boolean;
}

/** One run of the mix against `url`: `connections` clients for `durationSeconds`, each query on its own share. */
async function runMix(
  url: string,
  options: Pick<LoadMixOptions, 'connections' | 'spreadScopes'>,
  durationSeconds: number,
): Promise<LoadResult[]> {
  const perQuery = Math.max(1, Math.floor(options.connections / MIX.length));
  const scopes = options.spreadScopes ? SCOPES : SCOPES.slice(0, 1);
  return Promise.all(
    MIX.map((q) => {
      let i = 0;
      return load({
        url,
        connections: perQuery,
        durationSeconds,
        // Long enough to measure the slow tail instead of cutting it off as errors.
        timeoutSeconds: 60,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        next: () => {
          const n = i++;
          return { path: '/graphql', body: q.body(n), headers: scopes[n % scopes.length]?.headers };
        },
      });
    }),
  );
}

function mixRows(results: LoadResult[]) {
  return MIX.map((q, index) => {
    const r = results[index];
    return {
      query: q.name,
      operations: r?.total ?? 0,
      'ops/s': r?.requestsPerSecond ?? 0,
      'p50 (ms)': r?.p50Ms ?? 0,
      'p99 (ms)': r?.p99Ms ?? 0,
      'non-2xx, errors, GraphQL errors': `${r?.non2xx ?? 0}, ${r?.errors ?? 0}, ${r?.graphqlErrors ?? 0}`,
    };
  });
}

/** Runs `measure` against a fresh gateway process per mode, over one simulators process. */
async function perMode(
  options: Pick<LoadMixOptions, 'latencyMs' | 'modes'>,
  measure: (label: string, gateway: { url: string; pid: number }) => Promise<void>,
): Promise<void> {
  const sims = await spawnServer<{ pamUrl: string; auditUrl: string }>('serve-simulators.ts', {
    SIMULATOR_LATENCY_MS: String(options.latencyMs),
  });
  try {
    for (const [label, env] of Object.entries(options.modes)) {
      const gateway = await spawnServer<{ url: string; pid: number }>('serve-gateway.ts', {
        PAM_URL: sims.info.pamUrl,
        AUDIT_URL: sims.info.auditUrl,
        BENCH_FORWARD: 'true',
        CREDENTIAL_MODE: 'forward',
        ...env,
      });
      try {
        await measure(label, gateway.info);
      } finally {
        await gateway.stop();
      }
    }
  } finally {
    await sims.stop();
  }
}

export async function benchLoadMix(options: LoadMixOptions): Promise<void> {
  await perMode(options, async (label, gateway) => {
    const results = await runMix(gateway.url, options, options.durationSeconds);
    const rss = peakRssMb(gateway.pid);
    const total = results.reduce((sum, r) => sum + r.total, 0);
    const perQuery = Math.max(1, Math.floor(options.connections / MIX.length));
    printTable(
      `Load mix, ${label}: ${perQuery * MIX.length} connections (${perQuery} per query), ` +
        `${options.durationSeconds} s, ${options.latencyMs} ms upstream latency, forward mode, ` +
        `${options.spreadScopes ? 'clients spread over 4 scopes' : 'one credential pair'}; ` +
        `${total} operations (${(total / options.durationSeconds).toFixed(0)}/s), gateway peak RSS ${rss ?? '?'} MB`,
      mixRows(results),
    );
  });
}

/**
 * Clients that arrive while the gateway is saturated: the mix runs for `warmSeconds`, its clients disconnect, and
 * the same number of new clients connect at once and run it for `durationSeconds`; the table is of the new
 * clients. Node accepts one connection per turn of the event loop, so this measures how long a new client waits
 * behind the work of the others (`ADMISSION_TURN_MS`).
 */
export async function benchReconnect(options: LoadMixOptions & { warmSeconds: number }): Promise<void> {
  await perMode(options, async (label, gateway) => {
    await runMix(gateway.url, options, options.warmSeconds);
    const results = await runMix(gateway.url, options, options.durationSeconds);
    const total = results.reduce((sum, r) => sum + r.total, 0);
    printTable(
      `New clients under load, ${label}: after ${options.warmSeconds} s of the mix, ${options.connections} new ` +
        `connections at once for ${options.durationSeconds} s, ${options.latencyMs} ms upstream latency, forward ` +
        `mode, one credential pair; ${total} operations (${(total / options.durationSeconds).toFixed(0)}/s)`,
      mixRows(results),
    );
  });
}
