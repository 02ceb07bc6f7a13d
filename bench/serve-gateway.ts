/**
 * Child process of the benchmarks: the gateway over upstreams given by PAM_URL / AUDIT_URL (the simulators'
 * process), with the demo credentials lent in fallback mode. Prints one JSON line with its URL.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { GatewayMetrics } from '../src/ops/metrics.js';
import { startTracing, stopTracing } from '../src/ops/tracing.js';
import { createGateway } from '../src/server.js';

const config = loadConfig();
if (!config.pam || !config.audit) throw new Error('PAM_URL and AUDIT_URL are required');
// One log line per operation is the production default; the benchmark keeps warnings only so that a
// stdout pipe nobody reads cannot slow the gateway down.
const logger = createLogger({ level: 'warn' });
const mode = process.env.BENCH_FORWARD === 'true' ? 'forward' : 'fallback';
// BENCH_OBSERVE=on: Prometheus metrics collected and traces exported over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT
// (the benchmark's sink), to measure what observability costs against the same gateway without it; =metrics or
// =traces turns on one of the two alone.
const observe = process.env.BENCH_OBSERVE ?? 'off';
const traces = observe === 'on' || observe === 'traces';
if (traces && !(await startTracing(process.env)))
  throw new Error(`BENCH_OBSERVE=${observe} needs OTEL_EXPORTER_OTLP_ENDPOINT`);
// BENCH_TOGGLE_TRACES=true: each SIGUSR2 stops the traces or starts them again, so that one process is measured with
// and without them (bench/gateway.ts, benchTracingToggle).
if (traces && process.env.BENCH_TOGGLE_TRACES === 'true') {
  let tracing = true;
  process.on('SIGUSR2', () => {
    tracing = !tracing;
    void (tracing ? startTracing(process.env) : stopTracing());
  });
}
const gateway = createGateway({
  settings: config,
  logger,
  metrics:
    observe === 'on' || observe === 'metrics' ? new GatewayMetrics({ maxOperationNames: 100 }) : undefined,
  // BENCH_PROTECTIONS=off: the same gateway without the browser and HTTP protections, to measure their cost.
  protections: process.env.BENCH_PROTECTIONS !== 'off',
  // BENCH_FORWARD=true: every caller sends its own credentials (forward mode), as in the load scenario.
  pam: { url: config.pam.url, credentialMode: mode, serviceCredential: config.pam.serviceCredential },
  audit: { url: config.audit.url, credentialMode: mode, serviceCredential: config.audit.serviceCredential },
});
const server = createServer(gateway.yoga);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  // The pid lets the benchmark read this process's peak resident memory (VmHWM) from /proc.
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}/graphql`, pid: process.pid })}\n`);
});
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void gateway.close().then(() => process.exit(0));
});
