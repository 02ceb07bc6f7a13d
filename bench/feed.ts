/**
 * The live audit feed (`BENCH_ONLY=feed`): 1, 100 and `BENCH_FEED_SUBSCRIBERS` (default 1,000) subscribers of one
 * organisation, through the graphql-sse client, while a job writes an audit entry every 250 ms straight into the
 * Audit simulator. Printed per mode (views on, `VIEWS=off`) in the same run: the delivery latency from the entry's
 * creation to its arrival at each subscriber (p50, p99, max), the events delivered out of those expected (and any
 * delivered twice), the Audit
 * requests per second the gateway sent meanwhile (polls and credential checks: one poller per organisation, so this
 * should not grow with the subscribers), and the gateway's peak resident memory.
 */
import { createClient } from 'graphql-sse';
import { DEMO_CREDENTIALS, startSimulators } from '../src/simulator/index.js';
import { peakRssMb } from './load-mix.js';
import { printTable, spawnServer } from './support.js';

const BASE = '/ux/nccm/jobs-account-audit/';
const WRITE_EVERY_MS = 250;
const { primaryKey, primaryOrganization } = DEMO_CREDENTIALS.audit;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;

export async function benchFeed(durationSeconds: number, largest: number): Promise<void> {
  const sims = await startSimulators({ recordLimit: 200_000 });
  const rows: Array<Record<string, string | number>> = [];
  try {
    const modes: Record<string, Record<string, string>> = {
      'views on (default)': {},
      'VIEWS=off': { VIEWS: 'off' },
    };
    for (const [label, env] of Object.entries(modes)) {
      for (const subscribers of [1, 100, largest]) {
        const gateway = await spawnServer<{ url: string; pid: number }>('serve-gateway.ts', {
          PAM_URL: sims.pam.url,
          AUDIT_URL: sims.audit.url,
          BENCH_FORWARD: 'true',
          CREDENTIAL_MODE: 'forward',
          MAX_SUBSCRIPTIONS_PER_CREDENTIAL: String(largest),
          MAX_SUBSCRIPTIONS: String(largest),
          ...env,
        });
        try {
          rows.push({
            mode: label,
            subscribers,
            ...(await measure(gateway.info, subscribers, durationSeconds)),
          });
        } finally {
          await gateway.stop();
        }
      }
    }
  } finally {
    await sims.stop();
  }
  printTable(
    `Audit feed: one entry every ${WRITE_EVERY_MS} ms for ${durationSeconds} s, AUDIT_FEED_INTERVAL_MS=2000 (default)`,
    rows,
  );

  async function measure(gateway: { url: string; pid: number }, count: number, seconds: number) {
    const client = createClient({
      url: gateway.url,
      headers: { 'x-audit-key': primaryKey },
      retryAttempts: 0,
      singleConnection: false,
    });
    /** Per subscriber: entry id → when it arrived. */
    const arrivals: Array<Map<string, number>> = [];
    let duplicates = 0;
    let connected = 0;
    let failures = 0;
    const stops: Array<() => void> = [];
    for (let i = 0; i < count; i++) {
      const mine = new Map<string, number>();
      arrivals.push(mine);
      stops.push(
        client.subscribe<{ auditEntryAdded: { auditId: string } }>(
          { query: 'subscription { auditEntryAdded { auditId jobName } }' },
          {
            next: (result) => {
              const id = result.data?.auditEntryAdded.auditId;
              if (!id) return void failures++;
              if (mine.has(id)) duplicates++;
              else mine.set(id, performance.now());
            },
            error: () => void failures++,
            complete: () => {},
          },
          { connected: () => void connected++ },
        ),
      );
    }
    const deadline = performance.now() + 30_000;
    while (connected < count && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    // Settle, then count only what the gateway asks the Audit API while entries arrive.
    await new Promise((r) => setTimeout(r, 1000));
    const seqBefore = sims.audit.requests.list().at(-1)?.seq ?? 0;
    const created = new Map<string, number>();
    const started = performance.now();
    let n = 0;
    while (performance.now() - started < seconds * 1000) {
      const response = await fetch(`${sims.audit.url}${BASE}`, {
        method: 'POST',
        headers: { authorization: primaryKey, 'content-type': 'application/json' },
        body: JSON.stringify({ organization: primaryOrganization, job_name: `bench-feed-${n++}` }),
      });
      const body = (await response.json()) as { id: string };
      created.set(body.id, performance.now());
      await new Promise((r) => setTimeout(r, WRITE_EVERY_MS));
    }
    // The last entries need up to one interval (and a little processing) to arrive.
    await new Promise((r) => setTimeout(r, 3000));
    const elapsed = (performance.now() - started) / 1000;
    const gatewayRequests = sims.audit.requests
      .list()
      .filter((r) => r.seq > seqBefore && r.method === 'GET').length;
    const latencies: number[] = [];
    for (const [id, at] of created)
      for (const mine of arrivals) {
        const arrived = mine.get(id);
        if (arrived !== undefined) latencies.push(arrived - at);
      }
    latencies.sort((a, b) => a - b);
    for (const stop of stops) stop();
    client.dispose();
    return {
      connected: `${connected}/${count}`,
      'events delivered': `${latencies.length}/${created.size * count}`,
      duplicates,
      'latency p50 ms': Math.round(percentile(latencies, 50)),
      'latency p99 ms': Math.round(percentile(latencies, 99)),
      'latency max ms': Math.round(latencies.at(-1) ?? Number.NaN),
      'Audit GETs per s': (gatewayRequests / elapsed).toFixed(2),
      errors: failures,
      'gateway peak RSS MB': peakRssMb(gateway.pid) ?? 'n/a',
    };
  }
}
