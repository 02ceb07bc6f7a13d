/**
 * `npm run simulator`: both simulators with the demo data, until interrupted. Prints the base URLs and
 * the demo credentials. Reads its own few settings (it shares no code with the gateway's config).
 */
import { DEMO_CREDENTIALS, demoSizesFromEnv, startSimulators } from './index.js';

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw)) {
    console.error(`simulator: ${name} must be a whole number, got "${raw}".`);
    process.exit(1);
  }
  return Number(raw);
}

let sizes: ReturnType<typeof demoSizesFromEnv>;
try {
  sizes = demoSizesFromEnv(process.env);
} catch (error) {
  console.error(`simulator: ${(error as Error).message}`);
  process.exit(1);
}

const sims = await startSimulators({
  sizes,
  host: process.env.HOST?.trim() || '127.0.0.1',
  pamPort: intEnv('PAM_PORT', 0),
  auditPort: intEnv('AUDIT_PORT', 0),
  seed: intEnv('SIMULATOR_SEED', 1),
  latencyMs: intEnv('SIMULATOR_LATENCY_MS', 0),
  empty: process.env.SIMULATOR_EMPTY === 'true',
});

const { pam, audit } = DEMO_CREDENTIALS;
console.info(`PAM API simulator:   ${sims.pam.url}/api/system/`);
console.info(`  superadmin token:  ${pam.superadminToken}   (user ${pam.superadminName})`);
console.info(`  operator token:    ${pam.operatorToken}   (user ${pam.operatorName})`);
console.info(`Audit API simulator: ${sims.audit.url}/ux/nccm/jobs-account-audit/`);
console.info(`  ${audit.primaryOrganization} key: ${audit.primaryKey}`);
console.info(`  ${audit.secondaryOrganization} key: ${audit.secondaryKey}`);
console.info('Press Ctrl-C to stop.');

const stop = async () => {
  await sims.stop();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
