/**
 * Child process of the benchmarks: starts both simulators with the demo data and prints one JSON
 * line with their URLs, so the load generator runs in another process than the server it measures.
 */
import { demoSizesFromEnv, startSimulators } from '../src/simulator/index.js';

const latencyMs = Number(process.env.SIMULATOR_LATENCY_MS ?? '0');
// SIMULATOR_ACCOUNTS, SIMULATOR_AUDIT_ENTRIES … set the data set's size (the scale scenarios).
const sims = await startSimulators({ latencyMs, recordLimit: 1000, sizes: demoSizesFromEnv(process.env) });
process.stdout.write(`${JSON.stringify({ pamUrl: sims.pam.url, auditUrl: sims.audit.url })}\n`);
process.once('SIGTERM', () => {
  void sims.stop().then(() => process.exit(0));
});
