/**
 * The gateway on the reference queries of the batching budget: upstream requests per operation (measured in
 * process from the simulators' request record), then requests/s and latency percentiles under load with the
 * simulators and the gateway each in their own process, at 0 ms and 20 ms of simulator latency.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, print } from 'graphql';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createGateway } from '../src/server.js';
import { startSimulators } from '../src/simulator/index.js';
import { type BenchQuery, REFERENCE_QUERIES } from './queries.js';
import { cpuPinning, load, type Pinning, pinThisProcess, printTable, spawnServer } from './support.js';

/** Finds an account that has credentials (so its audit relation scans) but few audit entries. */
const SPARSE_PROBE =
  'query ($id: ID!) { account(id: $id) { credentials { login } auditEntries(first: 5) { edges { cursor } } } }';

interface Costs {
  sparseAccountId: number;
  requests: Map<string, number>;
}

/** Runs each query once in process against fresh simulators and counts what reached them. */
async function measureCosts(): Promise<Costs> {
  const sims = await startSimulators();
  const gateway = createGateway({
    // Called in process (`yoga.fetch`, no Host header), so the Host check is not what is measured here.
    // VIEWS=off: each query's own cost, not what an earlier query's shared views saved it.
    settings: { ...loadConfig({}), allowedHosts: 'any', views: false },
    logger: createLogger({ level: 'silent' }),
    pam: {
      url: sims.pam.url,
      credentialMode: 'fallback',
      serviceCredential: sims.credentials.pam.superadminToken,
    },
    audit: {
      url: sims.audit.url,
      credentialMode: 'fallback',
      serviceCredential: sims.credentials.audit.primaryKey,
    },
  });
  const run = async (query: string, variables?: Record<string, unknown>) => {
    const response = await gateway.yoga.fetch('http://bench/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as {
      data?: { account?: { credentials: unknown; auditEntries?: { edges: unknown[] } } };
    };
  };
  let sparseAccountId = 0;
  for (let id = 1; id <= 200 && !sparseAccountId; id++) {
    const res = await run(SPARSE_PROBE, { id: String(id) });
    const account = res.data?.account;
    if (account?.credentials && account.auditEntries && account.auditEntries.edges.length < 5)
      sparseAccountId = id;
  }
  if (!sparseAccountId) throw new Error('no account with fewer than 5 audit entries among ids 1..200');
  console.info(`account ${sparseAccountId} has fewer than 5 audit entries: rows marked "whole log" use it`);
  const requests = new Map<string, number>();
  for (const q of REFERENCE_QUERIES) {
    sims.pam.requests.reset();
    sims.audit.requests.reset();
    await run(q.query, q.needsSparseAccount ? { id: String(sparseAccountId) } : undefined);
    requests.set(q.name, sims.pam.requests.count + sims.audit.requests.count);
  }
  await gateway.close();
  await sims.stop();
  return { sparseAccountId, requests };
}

function body(q: BenchQuery, sparseAccountId: number): string {
  const variables = q.needsSparseAccount ? { id: String(sparseAccountId) } : undefined;
  return JSON.stringify({ query: print(parse(q.query)), variables });
}

/** The origin the "on" gateway lists in CORS_ORIGINS; every load request carries it, in both modes. */
const ORIGIN = 'https://console.example.test';

/** Settings that make every protection do its work on each request (CORS lookup, suggestion filter, ...). */
const PROTECTED_ENV = {
  CORS_ORIGINS: ORIGIN,
  INTROSPECTION: 'false',
  PERSISTED_DOCUMENTS: 'allow',
  PERSISTED_DOCUMENTS_FILE: fileURLToPath(new URL('../test/gql/persisted-documents.json', import.meta.url)),
};

/** `on` and `off` are compared; `control` is a second `off`, measured in the observability comparison. */
type Mode = 'on' | 'off' | 'control';

type GatewayInfo = { url: string; pid?: number };
type Gateway = Awaited<ReturnType<typeof spawnServer<GatewayInfo>>>;

interface Measured {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  /** The gateway process's CPU time per request answered, in µs (null where /proc is not available). */
  cpuUsPerRequest: number | null;
}

/** A process's CPU time so far (user + system), in seconds; null where /proc is not available. */
function cpuSeconds(pid: number): number | null {
  try {
    // Fields 14 and 15 of /proc/<pid>/stat, after the command name in parentheses; in clock ticks (100 per second).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** The `q` quantile of `values` (0.5: the median), interpolated between the two nearest ranks. */
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  const at = (sorted.length - 1) * q;
  const low = sorted[Math.floor(at)] ?? 0;
  const high = sorted[Math.ceil(at)] ?? low;
  return low + (high - low) * (at - Math.floor(at));
}

const median = (values: number[]) => quantile(values, 0.5);

/** The median of each figure over the rounds, and the sum of failures. */
function summarise(runs: Measured[]): Measured {
  return {
    requestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    cpuUsPerRequest: runs.some((r) => r.cpuUsPerRequest === null)
      ? null
      : median(runs.map((r) => r.cpuUsPerRequest ?? 0)),
  };
}

/**
 * The change from `off` to `on`, as the median of the rounds' own ratios (each pair measured back to back, so a drift
 * of the machine between rounds cancels out), with the lowest and highest ratio to show the spread (or, over many short rounds, the quartiles: the middle half).
 */
function pairedChange(
  on: Measured[],
  off: Measured[],
  figure: (m: Measured) => number | null,
  /** `quartiles`: the middle half of the ratios in brackets instead of the lowest and highest (many short rounds). */
  spread: 'range' | 'quartiles' = 'range',
): string {
  const ratios = on
    .map((m, i) => {
      const a = figure(m);
      const b = off[i] ? figure(off[i]) : null;
      return a !== null && b ? (a / b - 1) * 100 : null;
    })
    .filter((r): r is number => r !== null);
  if (ratios.length === 0) return '?';
  const signed = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(1)}`;
  const [low, high] =
    spread === 'range'
      ? [Math.min(...ratios), Math.max(...ratios)]
      : [quantile(ratios, 0.25), quantile(ratios, 0.75)];
  return `${signed(median(ratios))} % (${signed(low)}…${signed(high)})`;
}

/**
 * Each reference query against two gateways over the same simulators: by default with the browser and HTTP
 * protections (issue 9) and without them; with `baseline` (another checkout of this repository, e.g. the commit
 * before a change), this tree's gateway and the baseline's, both with every protection on; `observability`: metrics
 * and traces on against both off, with a second plain gateway as a control. They are measured interleaved, in
 * rotating order, `rounds` times each in each of `blocks` fresh sets of processes, so that the machine's drift during
 * the run weighs on all alike; the medians of the rounds' paired ratios are compared.
 */
export async function benchGateway(
  durationSeconds: number,
  rounds = 3,
  only?: string,
  baseline?: string,
  /** `observability`: metrics and traces on (to a local OTLP sink) against both off, every protection on in both. */
  compare: 'protections' | 'observability' = 'protections',
  /** How many fresh sets of gateway processes each query is measured on, `rounds` rounds each. */
  blocks = 1,
): Promise<void> {
  const [labelOn, labelOff] = baseline
    ? ['after', 'before']
    : compare === 'observability'
      ? ['observed', 'plain']
      : ['on', 'off'];
  const sink = compare === 'observability' ? await otlpSink() : undefined;
  const observe = process.env.BENCH_OBSERVE;
  const observed = observe === 'metrics' || observe === 'traces' ? observe : 'metrics and traces';
  const costs = await measureCosts();
  try {
    await atEachLatency(async (latency, upstreams, pinning) => {
      const plainEnv = sink
        ? { ...upstreams, BENCH_OBSERVE: 'off' }
        : { ...upstreams, BENCH_PROTECTIONS: 'off' };
      const specs: Record<'on' | 'off', GatewaySpec> & { control?: GatewaySpec } = {
        on: {
          env: sink
            ? {
                ...upstreams,
                // BENCH_OBSERVE=metrics or =traces measures one of the two alone.
                BENCH_OBSERVE: observe ?? 'on',
                OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
                OTEL_SERVICE_NAME: 'bench',
              }
            : upstreams,
        },
        off: baseline ? { env: upstreams, benchDir: join(baseline, 'bench') } : { env: plainEnv },
        // The control: a second plain gateway, measured like the others, shows what the machine's noise alone does
        // to the comparison (near zero; its quartiles are the resolution of the run).
        ...(sink ? { control: { env: plainEnv } } : {}),
      };
      const rows = [];
      for (const q of REFERENCE_QUERIES.filter((q) => !only || q.name.includes(only))) {
        const payload = body(q, costs.sparseAccountId);
        const runs: Record<Mode, Measured[]> = { on: [], off: [], control: [] };
        for (let block = 0; block < blocks; block++) {
          // Each block starts fresh gateway processes: two processes of the same build can differ by several per
          // cent for their whole life (where the JIT and the heap happened to land), which more rounds against the
          // same pair cannot average out.
          const gateways = await startGateways(specs, pinning?.gateways);
          const modes = Object.keys(gateways) as Mode[];
          const measure = (mode: Mode, seconds: number) =>
            measureGateway(gateways[mode] as Gateway, payload, seconds);
          try {
            // Unmeasured warm-up of each (JIT, pools, the simulators' caches), so that none pays it in round 1.
            for (const mode of modes) await measure(mode, Math.max(3, durationSeconds / 2));
            for (let round = 0; round < rounds; round++) {
              // Each mode goes first as often as the others, so that a drift within a round favours none.
              const turn = block * rounds + round;
              const order = modes.map((_, i) => modes[(i + turn) % modes.length] as Mode);
              if (turn % 2 === 1) order.reverse();
              for (const mode of order) runs[mode].push(await measure(mode, durationSeconds));
            }
          } finally {
            await Promise.all(Object.values(gateways).map((gateway) => gateway.stop()));
          }
        }
        const on = summarise(runs.on);
        const off = summarise(runs.off);
        const spread = sink ? 'quartiles' : 'range';
        rows.push({
          query: q.name,
          'upstream req/op': costs.requests.get(q.name) ?? '?',
          [`req/s ${labelOn}`]: on.requestsPerSecond,
          [`req/s ${labelOff}`]: off.requestsPerSecond,
          [`req/s change (${spread})`]: pairedChange(runs.on, runs.off, (m) => m.requestsPerSecond, spread),
          ...(sink
            ? {
                [`control: ${labelOff} vs ${labelOff} (${spread})`]: pairedChange(
                  runs.control,
                  runs.off,
                  (m) => m.requestsPerSecond,
                  spread,
                ),
              }
            : {}),
          [`gateway CPU µs/req ${labelOn}/${labelOff}`]: `${on.cpuUsPerRequest ?? '?'} / ${off.cpuUsPerRequest ?? '?'}`,
          [`CPU/req change (${spread})`]: pairedChange(runs.on, runs.off, (m) => m.cpuUsPerRequest, spread),
          [`p50 ${labelOn}/${labelOff} (ms)`]: `${on.p50Ms} / ${off.p50Ms}`,
          [`p99 ${labelOn}/${labelOff} (ms)`]: `${on.p99Ms} / ${off.p99Ms}`,
          'non-2xx, errors': `${on.non2xx + off.non2xx}, ${on.errors + off.errors}`,
        });
      }
      const method = `medians of ${blocks * rounds} interleaved rounds of ${durationSeconds} s${blocks > 1 ? `, ${rounds} in each of ${blocks} fresh sets of gateway processes` : ''}${pinning ? `, the gateways on CPU ${pinning.gateways} and the rest on ${pinning.others}` : ''}`;
      printTable(
        `Gateway, simulator latency ${latency} ms (8 connections, separate processes; ${baseline ? `this tree (after) vs ${baseline} (before)` : sink ? `${observed} on vs off, and a second plain gateway as control (spans received: ${sink.spans()})` : 'protections on vs off'}, ${method})`,
        rows,
      );
    });
  } finally {
    await sink?.stop();
  }
}

/**
 * Runs `measure` at 0 and then 20 ms of simulator latency, each time over simulators in a process of their own, with
 * the gateways' environment for them (`upstreams`, every protection on). With `pinning`, this process (load generator,
 * OTLP sink) and the simulators stay on the CPUs the measured gateways do not use, for the whole run.
 */
async function atEachLatency(
  measure: (
    latency: number,
    upstreams: Record<string, string>,
    pinning: Pinning | undefined,
  ) => Promise<void>,
): Promise<void> {
  const pinning = cpuPinning();
  if (pinning) pinThisProcess(pinning.others);
  try {
    for (const latency of [0, 20]) {
      const sims = await spawnServer<{ pamUrl: string; auditUrl: string }>(
        'serve-simulators.ts',
        { SIMULATOR_LATENCY_MS: String(latency) },
        undefined,
        pinning?.others,
      );
      try {
        await measure(
          latency,
          {
            PAM_URL: sims.info.pamUrl,
            AUDIT_URL: sims.info.auditUrl,
            PAM_TOKEN: 'pam-demo-superadmin-key',
            AUDIT_API_KEY: 'audit-demo-key-acme',
            ...PROTECTED_ENV,
          },
          pinning,
        );
      } finally {
        await sims.stop();
      }
    }
  } finally {
    if (pinning) pinThisProcess(pinning.all);
  }
}

/** How to start one of the compared gateways: its environment, and another checkout's bench/ folder if a baseline. */
interface GatewaySpec {
  env: Record<string, string>;
  benchDir?: string;
}

/** Starts one gateway per spec, all at once, on `cpus`; if one fails, stops the others and throws. */
async function startGateways(
  specs: Partial<Record<Mode, GatewaySpec>>,
  cpus: string | undefined,
): Promise<Partial<Record<Mode, Gateway>>> {
  const entries = Object.entries(specs) as Array<[Mode, GatewaySpec]>;
  const started = await Promise.allSettled(
    entries.map(([, spec]) => spawnServer<GatewayInfo>('serve-gateway.ts', spec.env, spec.benchDir, cpus)),
  );
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
    throw failed.reason;
  }
  return Object.fromEntries(
    entries.map(([mode], i) => [mode, (started[i] as PromiseFulfilledResult<Gateway>).value]),
  );
}

/** Loads `gateway` with `payload` for `seconds`: its throughput, latency and CPU per request. */
async function measureGateway(gateway: Gateway, payload: string, seconds: number): Promise<Measured> {
  const pid = gateway.info.pid;
  const cpuBefore = pid ? cpuSeconds(pid) : null;
  const result = await load({
    url: gateway.info.url,
    connections: 8,
    durationSeconds: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN },
    next: () => ({ path: '/graphql', body: payload }),
  });
  const cpuAfter = pid ? cpuSeconds(pid) : null;
  const cpuUsPerRequest =
    cpuBefore !== null && cpuAfter !== null && result.total > 0
      ? Math.round(((cpuAfter - cpuBefore) * 1e6) / result.total)
      : null;
  // Requests answered over the time the load really ran: exact for short rounds too.
  const requestsPerSecond = result.elapsedSeconds > 0 ? Math.round(result.total / result.elapsedSeconds) : 0;
  return { ...result, requestsPerSecond, cpuUsPerRequest };
}

/**
 * An OTLP/HTTP receiver that counts the spans it is sent and keeps nothing. It runs in the load generator's process, so
 * it stays cheap (a native search per chunk, no string built): its cost must not pass for the gateway's.
 */
async function otlpSink(): Promise<{ url: string; spans(): number; stop(): Promise<void> }> {
  let spans = 0;
  const marker = Buffer.from('"spanId"');
  const server = createServer((req, res) => {
    req.on('data', (chunk: Buffer) => {
      // A marker split across two chunks is missed: the count is a sanity check, not a measurement.
      for (let at = chunk.indexOf(marker); at !== -1; at = chunk.indexOf(marker, at + marker.length)) spans++;
    });
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans: () => spans,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * What the traces cost each operation, in one process: each reference query against one gateway exporting its traces
 * to a local OTLP sink, whose tracing is switched off and on again between phases of `durationSeconds` (SIGUSR2, see
 * serve-gateway.ts), `pairs` pairs of phases in ABBA order in each of `blocks` fresh processes. Unlike
 * the comparison of separate processes, this one does not see what differs between two processes for their whole
 * life (where the JIT and the heap happened to land), which on this machine is often larger than the cost measured.
 */
export async function benchTracingToggle(
  durationSeconds: number,
  pairs: number,
  blocks: number,
  /** Only the reference queries whose name contains this (`BENCH_QUERIES`). */
  only?: string,
): Promise<void> {
  const sink = await otlpSink();
  const costs = await measureCosts();
  try {
    await atEachLatency(async (latency, upstreams, pinning) => {
      const env = {
        ...upstreams,
        BENCH_OBSERVE: 'traces',
        BENCH_TOGGLE_TRACES: 'true',
        OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
        OTEL_SERVICE_NAME: 'bench',
      };
      const rows = [];
      for (const q of REFERENCE_QUERIES.filter((q) => !only || q.name.includes(only))) {
        const payload = body(q, costs.sparseAccountId);
        const runs: Record<'on' | 'off', Measured[]> = { on: [], off: [] };
        for (let block = 0; block < blocks; block++) {
          const gateway = await spawnServer<GatewayInfo>(
            'serve-gateway.ts',
            env,
            undefined,
            pinning?.gateways,
          );
          try {
            let tracing = true;
            const switchTo = async (on: boolean) => {
              if (on === tracing || !gateway.info.pid) return;
              process.kill(gateway.info.pid, 'SIGUSR2');
              tracing = on;
              // Time for the switch (and the flush of what was pending) to be over before the next phase.
              await new Promise((resolve) => setTimeout(resolve, 500));
            };
            // Unmeasured warm-up, traced then untraced, so that the JIT has seen both before the first pair.
            await measureGateway(gateway, payload, Math.max(3, durationSeconds));
            await switchTo(false);
            await measureGateway(gateway, payload, Math.max(2, durationSeconds));
            for (let pair = 0; pair < pairs; pair++) {
              // ABBA: on first in one pair, off first in the next, so that a drift within a pair favours neither.
              const order = (pair + block) % 2 === 0 ? [true, false] : [false, true];
              for (const on of order) {
                await switchTo(on);
                runs[on ? 'on' : 'off'].push(await measureGateway(gateway, payload, durationSeconds));
              }
            }
          } finally {
            await gateway.stop();
          }
        }
        const on = summarise(runs.on);
        const off = summarise(runs.off);
        rows.push({
          query: q.name,
          'req/s traced': on.requestsPerSecond,
          'req/s untraced': off.requestsPerSecond,
          'req/s change (quartiles)': pairedChange(
            runs.on,
            runs.off,
            (m) => m.requestsPerSecond,
            'quartiles',
          ),
          'gateway CPU µs/req traced/untraced': `${on.cpuUsPerRequest ?? '?'} / ${off.cpuUsPerRequest ?? '?'}`,
          'CPU/req change (quartiles)': pairedChange(
            runs.on,
            runs.off,
            (m) => m.cpuUsPerRequest,
            'quartiles',
          ),
          'p99 traced/untraced (ms)': `${on.p99Ms} / ${off.p99Ms}`,
          'non-2xx, errors': `${on.non2xx + off.non2xx}, ${on.errors + off.errors}`,
        });
      }
      printTable(
        `Gateway, simulator latency ${latency} ms (8 connections, separate processes; traces on vs off in the same process, switched between phases; medians of ${blocks * pairs} pairs of ${durationSeconds} s phases, ${pairs} in each of ${blocks} fresh processes${pinning ? `, the gateway on CPU ${pinning.gateways} and the rest on ${pinning.others}` : ''}; spans received: ${sink.spans()})`,
        rows,
      );
    });
  } finally {
    await sink.stop();
  }
}
