/**
 * Child process of the benchmarks: starts both simulators with the default demo data and prints one JSON
 * line with their URLs, so the load generator runs in another process than the server it measures.
 */
import { startSimulators } from '../src/simulator/index.js';

const latencyMs = Number(process.env.SIMULATOR_LATENCY_MS ?? '0');
const sims = await startSimulators({ latencyMs, recordLimit: 1000 });
process.stdout.write(`${JSON.stringify({ pamUrl: sims.pam.url, auditUrl: sims.audit.url })}\n`);
process.once('SIGTERM', () => {
  void sims.stop().then(() => process.exit(0));
});
