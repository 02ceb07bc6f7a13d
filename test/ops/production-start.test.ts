/**
 * The compiled production start (issue 13 §7): `npm run build` compiles `src/` to `dist/`; in a copy holding only
 * `package.json`, `package-lock.json` and `dist/`, `npm ci --omit=dev` installs the production dependencies (no tsx,
 * no vitest) and `node dist/main.js` serves GraphiQL, answers a query, reports ready and stops cleanly on SIGTERM.
 * A clean checkout has no `dist/`: the test builds it when it is missing.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killGatewayProcesses, startGatewayProcess } from '../support/gateway-process.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
let copy: string;

/** Newest modification time of the files under `dir`. */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

beforeAll(() => {
  // A clean checkout has no dist/, and a working tree may hold one older than its sources: build then.
  const main = join(root, 'dist', 'main.js');
  if (!existsSync(main) || statSync(main).mtimeMs < newest(join(root, 'src')))
    execFileSync('npm', ['run', '-s', 'build'], { cwd: root });
  copy = mkdtempSync(join(tmpdir(), 'pamgraph-prod-'));
  for (const file of ['package.json', 'package-lock.json']) cpSync(join(root, file), join(copy, file));
  cpSync(join(root, 'dist'), join(copy, 'dist'), { recursive: true });
  execFileSync('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd: copy,
    stdio: 'ignore',
  });
}, 120_000);
afterEach(killGatewayProcesses);
afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe('node dist/main.js', () => {
  it('serves from the compiled build with production dependencies only, and stops on SIGTERM', async () => {
    // Nothing of the development tool chain is there to lean on.
    expect(existsSync(join(copy, 'node_modules', 'tsx'))).toBe(false);
    expect(existsSync(join(copy, 'node_modules', 'vitest'))).toBe(false);
    expect(existsSync(join(copy, 'src'))).toBe(false);

    const gateway = startGatewayProcess(
      { PORT: '0', LOG_LEVEL: 'info', DRAIN_DELAY_MS: '0', NODE_ENV: 'production' },
      { file: process.execPath, args: ['dist/main.js'], cwd: copy },
    );
    const url = await gateway.ready;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ accounts(first: 2) { edges { node { name } } } }' }),
    });
    const body = (await res.json()) as { data?: { accounts: { edges: Array<{ node: { name: string } }> } } };
    expect(body.data?.accounts.edges).toHaveLength(2);
    const page = await fetch(url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('pamgraph');
    let ready = 0;
    for (let i = 0; i < 100 && ready !== 200; i++) {
      ready = (await fetch(url.replace(/\/graphql$/, '/ready'))).status;
      if (ready !== 200) await new Promise((r) => setTimeout(r, 50));
    }
    expect(ready).toBe(200);

    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
  }, 60_000);
});
