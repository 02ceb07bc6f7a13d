/**
 * The retry and circuit metrics (issue 13 §3) against an upstream that fails for real (a fault server on loopback):
 * a 503 then a 200 count as two requests of one call, one of them a retry; failed calls in a row open the circuit,
 * which the gauge shows. In process, with the gateway's own metrics registry.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { GatewayMetrics } from '../../src/ops/metrics.js';
import { createGateway, type Gateway } from '../../src/server.js';
import { json, reply, startFaultServer } from '../support/fault-server.js';
import { TEST_SETTINGS } from '../support/stack.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function gatewayOverFaults() {
  const pam = await startFaultServer();
  const audit = await startFaultServer();
  cleanups.push(
    () => pam.stop(),
    () => audit.stop(),
  );
  const metrics = new GatewayMetrics({ maxOperationNames: 10 });
  const gateway: Gateway = createGateway({
    settings: { ...TEST_SETTINGS, breakerThreshold: 2, breakerCooldownMs: 60_000 },
    logger: createLogger({ level: 'silent' }),
    metrics,
    pam: { url: pam.url, credentialMode: 'fallback', serviceCredential: 'pam-service' },
    audit: { url: audit.url, credentialMode: 'fallback', serviceCredential: 'audit-service' },
  });
  cleanups.push(() => gateway.close());
  const query = async (document: string) => {
    const response = await gateway.yoga.fetch('http://pamgraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: document }),
    });
    return (await response.json()) as { errors?: unknown[] };
  };
  const sample = async (line: string) => {
    const text = await metrics.registry.metrics();
    const found = text.split('\n').find((l) => l.startsWith(`${line} `));
    return found === undefined ? undefined : Number(found.slice(line.length + 1));
  };
  return { pam, query, sample };
}

describe('retry and circuit metrics', () => {
  it('count a retried call as two requests, one retry', async () => {
    const { pam, query, sample } = await gatewayOverFaults();
    pam.script(reply(503, '{}'), json(200, []));
    expect((await query('{ accounts(first: 1) { edges { node { name } } } }')).errors).toBeUndefined();
    const route = 'upstream="pam",method="GET",route="/api/system/accounts"';
    expect(await sample(`pamgraph_upstream_requests_total{${route},status_class="5xx"}`)).toBe(1);
    expect(await sample(`pamgraph_upstream_requests_total{${route},status_class="2xx"}`)).toBe(1);
    expect(await sample('pamgraph_upstream_retries_total{upstream="pam"}')).toBe(1);
    expect(await sample('pamgraph_upstream_circuit_open{upstream="pam"}')).toBe(0);
  });

  it('show the circuit open after failed calls in a row', async () => {
    const { pam, query, sample } = await gatewayOverFaults();
    pam.setFallback(reply(500, '{}'));
    for (let i = 0; i < 3; i++) await query('{ accounts(first: 1) { edges { node { name } } } }');
    expect(await sample('pamgraph_upstream_circuit_open{upstream="pam"}')).toBe(1);
    expect(await sample('pamgraph_upstream_circuit_open{upstream="audit"}')).toBe(0);
  });
});
