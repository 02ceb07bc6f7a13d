/**
 * An upstream behind a certificate from a private CA, as on-premises PAM installations often are: the CA
 * and the server certificate (subjectAltName IP:127.0.0.1) are made with `openssl` at test time.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { UpstreamHttp } from '../../src/upstream/http.js';

const hasOpenssl = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;
/** Shown in the test titles when they are skipped, so the report says why. */
const NEEDS = hasOpenssl
  ? ''
  : ' [skipped: the openssl command is missing; install the Debian package "openssl"]';

const CA_CONFIG = `[req]
distinguished_name = dn
prompt = no
x509_extensions = v3_ca
[dn]
CN = pamgraph test CA
[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
`;
const LEAF_EXTENSIONS = `basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1
`;

interface Pki {
  caPem: string;
  keyPem: string;
  certPem: string;
}

/** A throw-away CA and a server certificate it signed, made in `dir`. */
function makePki(dir: string): Pki {
  const file = (name: string) => join(dir, name);
  writeFileSync(file('ca.cnf'), CA_CONFIG);
  writeFileSync(file('leaf.cnf'), LEAF_EXTENSIONS);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run([
    'req',
    '-x509',
    '-new',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-config',
    'ca.cnf',
  ]);
  run(['req', '-new', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
  const sign = ['-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial'];
  run(['x509', ...sign, '-out', 'server.pem', '-days', '2', '-extfile', 'leaf.cnf']);
  return {
    caPem: readFileSync(file('ca.pem'), 'utf8'),
    keyPem: readFileSync(file('server.key'), 'utf8'),
    certPem: readFileSync(file('server.pem'), 'utf8'),
  };
}

describe('an upstream with a certificate from a private CA', () => {
  let dir = '';
  let pki: Pki;
  let server: Server | undefined;
  let baseUrl = '';
  let requests = 0;
  const clients: UpstreamHttp[] = [];

  beforeAll(async () => {
    if (!hasOpenssl) return;
    dir = mkdtempSync(join(tmpdir(), 'pamgraph-ca-'));
    pki = makePki(dir);
    server = createServer({ key: pki.keyPem, cert: pki.certPem }, (_req, res) => {
      requests++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('[{"id":1}]');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    if (server) {
      const closed = new Promise((resolve) => server?.close(resolve));
      server.closeAllConnections();
      await closed;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const client = (ca?: string) => {
    const http = new UpstreamHttp({
      name: 'pam',
      baseUrl,
      timeoutMs: 3_000,
      connections: 2,
      maxResponseBytes: 1024 * 1024,
      ca,
      logger: createLogger({ level: 'silent' }),
      backoffMs: 10,
    });
    clients.push(http);
    return http;
  };

  it.skipIf(!hasOpenssl)(
    `is refused without the CA: UPSTREAM_UNAVAILABLE, nothing sent${NEEDS}`,
    async () => {
      const error = await client()
        .request({ method: 'GET', path: '/api/system/accounts' })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(GatewayError);
      expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', details: { upstream: 'pam' } });
      expect((error as GatewayError).message).toMatch(/certificate that is not trusted/);
      expect((error as GatewayError).message).not.toContain('127.0.0.1');
      expect(requests).toBe(0);
    },
  );

  it.skipIf(!hasOpenssl)(`is trusted with the CA PEM as \`ca\`${NEEDS}`, async () => {
    const response = await client(pki.caPem).request({ method: 'GET', path: '/api/system/accounts' });
    expect(response).toEqual({ status: 200, body: [{ id: 1 }] });
    expect(requests).toBe(1);
  });
});
