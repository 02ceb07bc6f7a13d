/**
 * Configuration: defaults, and a clear start-up error for every kind of bad value.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('has the documented defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 4000,
      pam: undefined,
      audit: undefined,
      credentialMode: undefined,
      pamTokenHeader: 'x-pam-token',
      auditKeyHeader: 'x-audit-key',
      logLevel: 'info',
      upstreamTimeoutMs: 10_000,
      upstreamConnections: 64,
      defaultPageSize: 20,
      maxPageSize: 100,
      graphiql: true,
      corsOrigins: [],
      corsAllowCredentials: false,
      allowNetworkFallback: false,
      introspection: true,
      persistedDocuments: 'off',
      persistedDocumentsManifest: undefined,
      routerSecret: undefined,
      maxRequestBytes: 1024 * 1024,
      requestTimeoutMs: 30_000,
      breakerThreshold: 5,
      breakerCooldownMs: 10_000,
    });
  });

  it('serves only loopback host names on a loopback HOST, any name on a network unless ALLOWED_HOSTS says', () => {
    expect(loadConfig({}).allowedHosts).toBe('loopback');
    expect(loadConfig({ HOST: '::1' }).allowedHosts).toBe('loopback');
    expect(loadConfig({ HOST: '0.0.0.0' }).allowedHosts).toBe('any');
    expect(loadConfig({ ALLOWED_HOSTS: ' PamGraph.example.com, [::1] ' }).allowedHosts).toEqual([
      'pamgraph.example.com',
      '[::1]',
    ]);
    expect(loadConfig({ ALLOWED_HOSTS: '*' }).allowedHosts).toBe('any');
  });

  it('reads CORS_ORIGINS as exact origins', () => {
    const config = loadConfig({ CORS_ORIGINS: ' https://console.example.test , http://127.0.0.1:5173/ ' });
    expect(config.corsOrigins).toEqual(['https://console.example.test', 'http://127.0.0.1:5173']);
  });

  it('reads upstream URLs (trailing slash dropped), credentials and modes', () => {
    const config = loadConfig({
      PAM_URL: 'https://pam.example.test/',
      PAM_TOKEN: 't0k',
      AUDIT_URL: 'http://audit.example.test:8080/base',
      AUDIT_API_KEY: 'k3y',
      CREDENTIAL_MODE: 'FALLBACK',
      PAM_TOKEN_HEADER: 'X-Fudo-Token',
    });
    expect(config.pam).toEqual({ url: 'https://pam.example.test', serviceCredential: 't0k', ca: undefined });
    expect(config.audit).toEqual({
      url: 'http://audit.example.test:8080/base',
      serviceCredential: 'k3y',
      ca: undefined,
    });
    expect(config.credentialMode).toBe('fallback');
    expect(config.pamTokenHeader).toBe('x-fudo-token');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT must be a whole number'],
    [{ PORT: '70000' }, 'PORT must be between 0 and 65535'],
    [{ PAM_URL: 'not a url' }, 'PAM_URL is not a valid URL'],
    [{ AUDIT_URL: 'ftp://audit.test' }, 'AUDIT_URL must be an http:// or https:// URL'],
    [{ PAM_URL: 'https://user:pw@pam.test' }, 'PAM_URL must not contain credentials'],
    [{ CREDENTIAL_MODE: 'open' }, 'CREDENTIAL_MODE must be "forward" or "fallback"'],
    [{ GRAPHIQL: 'maybe' }, 'GRAPHIQL must be true or false'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of'],
    [{ DEFAULT_PAGE_SIZE: '50', MAX_PAGE_SIZE: '10' }, 'DEFAULT_PAGE_SIZE must not exceed MAX_PAGE_SIZE'],
    [{ PAM_TOKEN_HEADER: 'x-key', AUDIT_KEY_HEADER: 'X-Key' }, 'must differ'],
    [
      { PAM_URL: 'https://pam.test', PAM_CA_FILE: '/nonexistent/ca.pem' },
      'PAM_CA_FILE: cannot read the CA file',
    ],
    [{ CORS_ORIGINS: '*' }, 'CORS_ORIGINS must list exact origins; "*" is refused'],
    [{ CORS_ORIGINS: 'https://app.test, null' }, 'CORS_ORIGINS must list exact origins; "null" is refused'],
    [{ CORS_ORIGINS: 'https://app.test/path' }, 'is not an origin'],
    [{ CORS_ORIGINS: 'app.test' }, 'is not an origin'],
    [{ CORS_ALLOW_CREDENTIALS: 'sure' }, 'CORS_ALLOW_CREDENTIALS must be true or false'],
    [{ ALLOW_NETWORK_FALLBACK: 'y' }, 'ALLOW_NETWORK_FALLBACK must be true or false'],
    [{ INTROSPECTION: 'hidden' }, 'INTROSPECTION must be true or false'],
    [{ PERSISTED_DOCUMENTS: 'strict' }, 'PERSISTED_DOCUMENTS must be "off", "allow" or "require"'],
    [{ PERSISTED_DOCUMENTS: 'require' }, 'PERSISTED_DOCUMENTS=require needs PERSISTED_DOCUMENTS_FILE'],
    [{ PERSISTED_DOCUMENTS: 'allow', PERSISTED_DOCUMENTS_FILE: '/nonexistent.json' }, 'cannot read'],
    [{ ROUTER_SECRET: 'short' }, 'ROUTER_SECRET must be at least 16 characters'],
    [{ MAX_REQUEST_BYTES: '10' }, 'MAX_REQUEST_BYTES must be between'],
    [{ REQUEST_TIMEOUT_MS: '0' }, 'REQUEST_TIMEOUT_MS must be between'],
    [{ CIRCUIT_BREAKER_THRESHOLD: '0' }, 'CIRCUIT_BREAKER_THRESHOLD must be between'],
    [{ REQUEST_TIMEOUT_MS: '5000' }, 'REQUEST_TIMEOUT_MS must be greater than UPSTREAM_TIMEOUT_MS'],
    [
      { ALLOWED_HOSTS: 'https://pamgraph.example.com' },
      'ALLOWED_HOSTS: "https://pamgraph.example.com" is not a host name',
    ],
    [{ ALLOWED_HOSTS: 'pamgraph.example.com:443' }, 'is not a host name'],
    [{ CIRCUIT_BREAKER_COOLDOWN_MS: 'soon' }, 'CIRCUIT_BREAKER_COOLDOWN_MS must be a whole number'],
  ])('rejects %o with a clear message', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never puts a ROUTER_SECRET into an error message', () => {
    expect(() => loadConfig({ ROUTER_SECRET: 'tiny-s3cret' })).toThrow(ConfigError);
    try {
      loadConfig({ ROUTER_SECRET: 'tiny-s3cret' });
    } catch (error) {
      expect(String(error)).not.toContain('tiny-s3cret');
    }
  });

  it('never puts a credential into an error message', () => {
    try {
      loadConfig({ PAM_URL: 'https://admin:hunter2@pam.test' });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain('hunter2');
    }
  });
});
