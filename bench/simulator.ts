/**
 * Throughput of the PAM simulator for `GET /api/system/accounts/:id` — it must never be the bottleneck of
 * the gateway benchmarks (target: at least 5,000 requests/s). The simulator runs in a child process.
 */
import { load, printTable, spawnServer } from './support.js';

export async function benchSimulator(durationSeconds: number): Promise<void> {
  const server = await spawnServer<{ pamUrl: string }>('serve-simulators.ts');
  try {
    let next = 0;
    const rows = [];
    for (const connections of [16, 64]) {
      const result = await load({
        url: server.info.pamUrl,
        connections,
        durationSeconds,
        headers: { authorization: 'pam-demo-superadmin-key' },
        // Walk the 2,000 demo accounts so every request is a different id.
        next: () => ({ path: `/api/system/accounts/${(next++ % 2000) + 1}` }),
      });
      rows.push({ 'GET /api/system/accounts/:id': `${connections} connections`, ...result });
    }
    printTable('PAM simulator (separate process)', rows);
  } finally {
    await server.stop();
  }
}
