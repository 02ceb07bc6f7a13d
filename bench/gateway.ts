/**
 * The gateway on the reference queries of the batching budget: upstream requests per operation (measured in
 * process from the simulators' request record), then requests/s and latency percentiles under load with the
 * simulators and the gateway each in their own process, at 0 ms and 20 ms of simulator latency.
 */
import { parse, print } from 'graphql';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createGateway } from '../src/server.js';
import { startSimulators } from '../src/simulator/index.js';
import { type BenchQuery, REFERENCE_QUERIES } from './queries.js';
import { load, printTable, spawnServer } from './support.js';

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
    settings: loadConfig({}),
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

export async function benchGateway(durationSeconds: number): Promise<void> {
  const costs = await measureCosts();
  for (const latency of [0, 20]) {
    const sims = await spawnServer<{ pamUrl: string; auditUrl: string }>('serve-simulators.ts', {
      SIMULATOR_LATENCY_MS: String(latency),
    });
    const gateway = await spawnServer<{ url: string }>('serve-gateway.ts', {
      PAM_URL: sims.info.pamUrl,
      AUDIT_URL: sims.info.auditUrl,
      PAM_TOKEN: 'pam-demo-superadmin-key',
      AUDIT_API_KEY: 'audit-demo-key-acme',
    });
    try {
      const rows = [];
      for (const q of REFERENCE_QUERIES) {
        const payload = body(q, costs.sparseAccountId);
        const result = await load({
          url: gateway.info.url,
          connections: 8,
          durationSeconds,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          next: () => ({ path: '/graphql', body: payload }),
        });
        rows.push({ query: q.name, 'upstream req/op': costs.requests.get(q.name) ?? '?', ...result });
      }
      printTable(`Gateway, simulator latency ${latency} ms (8 connections, separate processes)`, rows);
    } finally {
      await gateway.stop();
      await sims.stop();
    }
  }
}
