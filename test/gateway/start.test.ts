/**
 * `npm start` as a new user runs it: a real process, embedded simulators, GraphiQL URL printed, the first
 * query answered, a clean stop on SIGTERM. Also the start-up errors an operator would see.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { print } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { FirstAccountsDocument, type FirstAccountsQuery } from '../gql/graphql.js';
import { killGatewayProcesses, startGatewayProcess } from '../support/gateway-process.js';

const start = (env: Record<string, string>) => startGatewayProcess(env);

afterEach(killGatewayProcesses);

describe('npm start', () => {
  it('serves GraphiQL and answers the first query from the embedded simulators, then stops on SIGTERM', async () => {
    const gateway = start({ PORT: '0', LOG_LEVEL: 'info', DRAIN_DELAY_MS: '0' });
    const url = await gateway.ready;
    expect(url).toMatch(/^http:\/\/localhost:\d+\/graphql$/);
    const page = await fetch(url, { headers: { accept: 'text/html' } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('pamgraph');
    expect(html).not.toMatch(/<script[^>]+src=["']https?:/);
    expect(html).not.toMatch(/<link[^>]+href=["']https?:/);

    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: print(FirstAccountsDocument), variables: { first: 3 } }),
    });
    const body = (await res.json()) as { data: FirstAccountsQuery };
    expect(body.data.accounts?.edges).toHaveLength(3);
    expect(body.data.accounts?.edges.every((e) => e.node.name.length > 0)).toBe(true);
    expect(gateway.output()).toContain('CREDENTIAL_MODE=fallback');

    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
  });

  it('refuses to start with a bad setting and says which', async () => {
    const gateway = start({ PORT: 'eighty' });
    expect(await gateway.exited).toBe(1);
    expect(gateway.output()).toContain('configuration error: PORT must be a whole number');
  });

  it('refuses a malformed size of the embedded simulators’ demo data, naming it', async () => {
    const gateway = start({ SIMULATOR_ACCOUNTS: 'lots' });
    expect(await gateway.exited).toBe(1);
    expect(gateway.output()).toContain('configuration error: SIMULATOR_ACCOUNTS must be a whole number');
  });

  it('refuses a trusted-documents manifest whose entry does not match its hash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pamgraph-manifest-'));
    const file = join(dir, 'persisted-documents.json');
    writeFileSync(file, JSON.stringify({ [`sha256:${'0'.repeat(64)}`]: '{ __typename }' }));
    try {
      const gateway = start({ PORT: '0', PERSISTED_DOCUMENTS: 'require', PERSISTED_DOCUMENTS_FILE: file });
      expect(await gateway.exited).toBe(1);
      expect(gateway.output()).toContain('configuration error: PERSISTED_DOCUMENTS_FILE');
      expect(gateway.output()).not.toContain('pamgraph ready');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses fallback mode against a real upstream without a service credential', async () => {
    const gateway = start({ PORT: '0', PAM_URL: 'http://127.0.0.1:9', CREDENTIAL_MODE: 'fallback' });
    expect(await gateway.exited).toBe(1);
    expect(gateway.output()).toContain('CREDENTIAL_MODE=fallback needs PAM_TOKEN');
  });
});

describe('fallback credentials on a network', () => {
  // A real upstream (never reached: the check comes first) whose service credential fallback would lend.
  const realFallback = {
    PORT: '0',
    PAM_URL: 'http://127.0.0.1:9',
    PAM_TOKEN: 'pam-service-token',
    CREDENTIAL_MODE: 'fallback',
  };

  for (const host of ['0.0.0.0', '::', '192.0.2.10']) {
    it(`refuses to start on HOST=${host}, naming the setting, before binding`, async () => {
      const gateway = start({ ...realFallback, HOST: host });
      expect(await gateway.exited).toBe(1);
      const output = gateway.output();
      expect(output).toContain('configuration error');
      expect(output).toContain('ALLOW_NETWORK_FALLBACK=true');
      expect(output).toContain(`HOST=${host}`);
      expect(output).not.toContain('pamgraph ready');
      // 192.0.2.10 is not an address of this machine: had the listener been tried, it would fail differently.
      expect(output).not.toContain('EADDRNOTAVAIL');
      expect(output).not.toContain('pam-service-token');
    });
  }

  it('goes on past the check with ALLOW_NETWORK_FALLBACK=true (then fails only to bind an address it does not have)', async () => {
    const gateway = start({ ...realFallback, HOST: '192.0.2.10', ALLOW_NETWORK_FALLBACK: 'true' });
    expect(await gateway.exited).toBe(1);
    const output = gateway.output();
    expect(output).not.toContain('configuration error');
    expect(output).toContain('EADDRNOTAVAIL');
  });
});
