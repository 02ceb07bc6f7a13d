/**
 * Every setting of the gateway, read once from the environment and validated at start-up, so that a
 * wrong value stops the process with a clear message instead of failing on the first request.
 * The README's configuration table mirrors the defaults declared here.
 */
import { readFileSync } from 'node:fs';
import { isLoopbackHost } from './loopback.js';

export type CredentialMode = 'forward' | 'fallback';

/** Which `Host` headers are served: loopback names and addresses, any, or exactly the listed names. */
export type AllowedHosts = 'loopback' | 'any' | readonly string[];

/** `off`: any document; `allow`: stored documents by hash or any document; `require`: stored documents only. */
export type PersistedDocumentsMode = 'off' | 'allow' | 'require';

export interface UpstreamConfig {
  /** Base URL (scheme, host, port, optional path prefix), without a trailing slash. */
  url: string;
  /** Service credential used in `fallback` mode for callers who send none. */
  serviceCredential: string | undefined;
  /** PEM bundle of extra trusted CAs, for appliances with private certificates. */
  ca: string | undefined;
}

export interface Config {
  /** Interface to listen on. Default `127.0.0.1`. */
  host: string;
  /** Port to listen on. Default 4000. */
  port: number;
  /** `PAM_URL`; undefined means "start the embedded PAM simulator". */
  pam: UpstreamConfig | undefined;
  /** `AUDIT_URL`; undefined means "start the embedded Audit simulator". */
  audit: UpstreamConfig | undefined;
  /** Explicit `CREDENTIAL_MODE`, or undefined when unset (main.ts then picks the default). */
  credentialMode: CredentialMode | undefined;
  /** Request header carrying the caller's PAM token. Default `x-pam-token`. */
  pamTokenHeader: string;
  /** Request header carrying the caller's Audit API key. Default `x-audit-key`. */
  auditKeyHeader: string;
  /** pino level. Default `info`. */
  logLevel: string;
  /** Deadline of one upstream call, retries included, in ms. Default 10,000. */
  upstreamTimeoutMs: number;
  /** Most upstream requests one operation may send (both upstreams). Default 500. */
  upstreamRequestBudget: number;
  /** Concurrent connections per upstream origin. Default 64. */
  upstreamConnections: number;
  /** Largest upstream response body accepted, in bytes. Default 32 MiB. */
  upstreamMaxResponseBytes: number;
  /** Default `first` of a connection. Default 20. */
  defaultPageSize: number;
  /** Largest `first` of a connection. Default 100. */
  maxPageSize: number;
  /** Deepest selection allowed (introspection excluded). Default 15. */
  maxDepth: number;
  /** Most aliases in one operation. Default 30. */
  maxAliases: number;
  /** Most lexical tokens in one document. Default 5,000. */
  maxTokens: number;
  /** Highest query cost: a connection multiplies its selection by `first`, a list by 10. Default 20,000. */
  maxComplexity: number;
  /** Most selected fields in one operation. Default 1,000. */
  maxFields: number;
  /** Most audit entries one relation scan reads before it stops and says `truncated`. Default 100,000. */
  auditScanMaxEntries: number;
  /** Audit pages fetched at once by a scan. Default 8. */
  auditScanConcurrency: number;
  /** Page size for by-id loads that page a PAM list instead of one GET per id (1..1000). Default 1,000. */
  pamPageSize: number;
  /** PAM pages fetched at once when paging for by-id loads. Default 4. */
  pamPageConcurrency: number;
  /** Fewest ids in one by-id batch before paging the list is considered. Default 4. */
  pamPagingMinIds: number;
  /** Serve GraphiQL on GET /graphql. Default true. */
  graphiql: boolean;
  /** `CORS_ORIGINS`: exact origins allowed cross-origin access. Default none: no cross-origin access at all. */
  corsOrigins: string[];
  /** Send `access-control-allow-credentials: true` to listed origins. Default false (pamgraph uses no cookies). */
  corsAllowCredentials: boolean;
  /** Lend the service credentials (`fallback`) of a real upstream on a non-loopback `HOST`. Default false. */
  allowNetworkFallback: boolean;
  /**
   * `ALLOWED_HOSTS`: the `Host` names requests may carry (DNS-rebinding defence). Default: loopback names only
   * when HOST is loopback, any name otherwise (the gateway cannot know its public names).
   */
  allowedHosts: AllowedHosts;
  /** Answer introspection, suggest names in errors, serve GraphiQL. Default true. */
  introspection: boolean;
  /** Trusted documents. Default `off`. */
  persistedDocuments: PersistedDocumentsMode;
  /** `PERSISTED_DOCUMENTS_FILE`, read at start-up: hash → document, as GraphQL Code Generator writes it. */
  persistedDocumentsManifest: Record<string, string> | undefined;
  /** `ROUTER_SECRET`: lets a federation router send `_entities` documents in `require` mode. Default unset. */
  routerSecret: string | undefined;
  /** Largest request body accepted, in bytes. Default 1 MiB. */
  maxRequestBytes: number;
  /** `MAX_CONCURRENT_REQUESTS`: requests handled at once; the others wait their turn in arrival order. Default 32. */
  maxConcurrentRequests: number;
  /**
   * `ADMISSION_TURN_MS`: operations started per turn of the event loop stop after this much work, so that new
   * connections are accepted and ready sockets read under saturation. 0 turns it off. Default 5.
   */
  admissionTurnMs: number;
  /** Deadline of one query or mutation, in ms; its upstream calls are aborted then. Default 30,000. */
  requestTimeoutMs: number;
  /** Failed upstream calls in a row that open that upstream's circuit breaker. Default 5. */
  breakerThreshold: number;
  /** How long an open circuit refuses calls before one trial call, in ms. Default 10,000. */
  breakerCooldownMs: number;
  /** `VIEWS`: share PAM collections between the requests of one credential (issue 11). Default on. */
  views: boolean;
  /** `VIEW_MAX_AGE_MS`: no answer from a view is older than this, from the start of its sync. Default 5,000. */
  viewMaxAgeMs: number;
  /** `VIEW_IDLE_MS`: a scope's views unused this long are dropped. Default 300,000. */
  viewIdleMs: number;
  /** `VIEW_MEMORY_MB`: bound of the views' estimated memory; least recently used scopes go first. Default 256. */
  viewMemoryMb: number;
  /** `AUDIT_VIEW_SHARING`: requests of every key of one organisation share its Audit view, or each key keeps its own. */
  auditViewSharing: 'organisation' | 'key';
  /** `AUDIT_VIEW_RECONCILE_MS`: how often an Audit view is checked whole against the upstream. Default 60,000. */
  auditViewReconcileMs: number;
  /** `AUDIT_FEED_INTERVAL_MS`: how often the audit feed reads the head of each scope's log. Default 2,000. */
  auditFeedIntervalMs: number;
  /** `MAX_SUBSCRIPTIONS_PER_CREDENTIAL`: live subscriptions per Audit key and per PAM credential. Default 10. */
  maxSubscriptionsPerCredential: number;
  /** `MAX_SUBSCRIPTIONS`: live subscriptions in all. Default 1,000. */
  maxSubscriptions: number;
  /** `DEBUG_EXTENSIONS`: a request with `x-pamgraph-plan: 1` gets its call plan in `extensions`. Default off. */
  debugExtensions: boolean;
  /** `METRICS`: serve Prometheus metrics on `METRICS_HOST:METRICS_PORT`. Default on. */
  metrics: boolean;
  /** `METRICS_HOST`: interface of the metrics listener. Default 127.0.0.1 (not the public port, not the network). */
  metricsHost: string;
  /** `METRICS_PORT`: port of the metrics listener (0: any free port). Default 9464. */
  metricsPort: number;
  /** `METRICS_MAX_OPERATION_NAMES`: distinct operation names kept as labels, then `other`. Default 100. */
  metricsMaxOperationNames: number;
  /** `READY_PROBE_INTERVAL_MS`: how often `/ready` probes each upstream (without credentials). Default 10,000. */
  readyProbeIntervalMs: number;
  /** `READY_REQUIRES_UPSTREAMS`: `/ready` answers 503 while an upstream is unreachable or its circuit open. */
  readyRequiresUpstreams: boolean;
  /** `DRAIN_DELAY_MS`: after SIGTERM/SIGINT, `/ready` answers 503 this long before the listener closes. Default 5,000. */
  drainDelayMs: number;
  /** `SHUTDOWN_TIMEOUT_MS`: then, how long operations in flight may take before connections are cut. Default 25,000. */
  shutdownTimeoutMs: number;
  /** Seed of the embedded simulators' demo data. Default 1. */
  simulatorSeed: number;
  /** Added latency of the embedded simulators, in ms. Default 0. */
  simulatorLatencyMs: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}".`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}.`);
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = text(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}".`);
}

function baseUrl(env: Env, name: string): string | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a valid URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${name} must be an http:// or https:// URL.`);
  }
  if (url.username || url.password) {
    // Credentials in a URL end up in logs and error reports; they belong in PAM_TOKEN / AUDIT_API_KEY.
    throw new ConfigError(`${name} must not contain credentials; use the token settings instead.`);
  }
  if (url.search || url.hash) throw new ConfigError(`${name} must not have a query string or fragment.`);
  return url.toString().replace(/\/+$/, '');
}

function caFile(env: Env, name: string): string | undefined {
  const path = text(env, name);
  if (path === undefined) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(`${name}: cannot read the CA file "${path}".`);
  }
}

function headerName(env: Env, name: string, fallback: string): string {
  const value = (text(env, name) ?? fallback).toLowerCase();
  if (!/^[a-z0-9-]+$/.test(value))
    throw new ConfigError(`${name} must be an HTTP header name, got "${value}".`);
  return value;
}

function upstream(env: Env, prefix: 'PAM' | 'AUDIT', credentialName: string): UpstreamConfig | undefined {
  const url = baseUrl(env, `${prefix}_URL`);
  if (url === undefined) return undefined;
  return { url, serviceCredential: text(env, credentialName), ca: caFile(env, `${prefix}_CA_FILE`) };
}

/** `CORS_ORIGINS`: a comma-separated list of exact origins (`scheme://host[:port]`). */
function origins(env: Env, name: string): string[] {
  const raw = text(env, name);
  if (raw === undefined) return [];
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => {
      if (item === '*' || item.toLowerCase() === 'null') {
        // `*` would open the gateway to every page; `null` is the origin of sandboxed iframes and local files.
        throw new ConfigError(`${name} must list exact origins; "${item}" is refused.`);
      }
      let url: URL;
      try {
        url = new URL(item);
      } catch {
        throw new ConfigError(`${name}: "${item}" is not an origin such as https://app.example.com.`);
      }
      if (
        (url.protocol !== 'http:' && url.protocol !== 'https:') ||
        url.origin !== item.replace(/\/$/, '').toLowerCase()
      ) {
        throw new ConfigError(`${name}: "${item}" is not an origin such as https://app.example.com.`);
      }
      return url.origin;
    });
}

/** `ALLOWED_HOSTS`: comma-separated host names (no port); `*` means any. Unset: see `Config.allowedHosts`. */
function allowedHosts(env: Env, host: string): AllowedHosts {
  const raw = text(env, 'ALLOWED_HOSTS');
  if (raw === undefined) return isLoopbackHost(host) ? 'loopback' : 'any';
  if (raw === '*') return 'any';
  return raw
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter((item) => item !== '')
    .map((item) => {
      if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/.test(item)) {
        throw new ConfigError(`ALLOWED_HOSTS: "${item}" is not a host name (no scheme, no port).`);
      }
      return item;
    });
}

function persistedMode(env: Env): PersistedDocumentsMode {
  const raw = text(env, 'PERSISTED_DOCUMENTS')?.toLowerCase() ?? 'off';
  if (raw === 'off' || raw === 'allow' || raw === 'require') return raw;
  throw new ConfigError(`PERSISTED_DOCUMENTS must be "off", "allow" or "require", got "${raw}".`);
}

/** Reads GraphQL Code Generator's `persisted-documents.json`: an object of hash → document text. */
function manifest(env: Env, name: string): Record<string, string> | undefined {
  const path = text(env, name);
  if (path === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new ConfigError(`${name}: cannot read "${path}" as JSON.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`${name}: "${path}" must hold an object of hash → document.`);
  }
  const entries = Object.entries(parsed);
  for (const [hash, document] of entries) {
    if (!/^(sha256:)?[0-9a-f]{64}$/.test(hash) || typeof document !== 'string') {
      throw new ConfigError(`${name}: "${path}" has an entry that is not "sha256:<hex>": "<document>".`);
    }
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

function credentialMode(env: Env): CredentialMode | undefined {
  const raw = text(env, 'CREDENTIAL_MODE')?.toLowerCase();
  if (raw === undefined) return undefined;
  if (raw === 'forward' || raw === 'fallback') return raw;
  throw new ConfigError(`CREDENTIAL_MODE must be "forward" or "fallback", got "${raw}".`);
}

function auditSharing(env: Env): 'organisation' | 'key' {
  const raw = text(env, 'AUDIT_VIEW_SHARING')?.toLowerCase() ?? 'organisation';
  if (raw === 'organisation' || raw === 'key') return raw;
  throw new ConfigError(`AUDIT_VIEW_SHARING must be "organisation" or "key", got "${raw}".`);
}

/** Reads and validates the configuration. Throws `ConfigError` with a message meant for the operator. */
export function loadConfig(env: Env = process.env): Config {
  const config: Config = {
    host: text(env, 'HOST') ?? '127.0.0.1',
    port: integer(env, 'PORT', 4000, 0, 65535),
    pam: upstream(env, 'PAM', 'PAM_TOKEN'),
    audit: upstream(env, 'AUDIT', 'AUDIT_API_KEY'),
    credentialMode: credentialMode(env),
    pamTokenHeader: headerName(env, 'PAM_TOKEN_HEADER', 'x-pam-token'),
    auditKeyHeader: headerName(env, 'AUDIT_KEY_HEADER', 'x-audit-key'),
    logLevel: text(env, 'LOG_LEVEL') ?? 'info',
    upstreamTimeoutMs: integer(env, 'UPSTREAM_TIMEOUT_MS', 10_000, 100, 600_000),
    upstreamConnections: integer(env, 'UPSTREAM_CONNECTIONS', 64, 1, 1024),
    upstreamRequestBudget: integer(env, 'UPSTREAM_REQUEST_BUDGET', 500, 1, 100_000),
    upstreamMaxResponseBytes: integer(env, 'UPSTREAM_MAX_RESPONSE_BYTES', 32 * 1024 * 1024, 1024, 2 ** 31),
    defaultPageSize: integer(env, 'DEFAULT_PAGE_SIZE', 20, 1, 1000),
    maxPageSize: integer(env, 'MAX_PAGE_SIZE', 100, 1, 1000),
    maxDepth: integer(env, 'MAX_DEPTH', 15, 2, 100),
    maxAliases: integer(env, 'MAX_ALIASES', 30, 0, 1000),
    maxTokens: integer(env, 'MAX_TOKENS', 5000, 100, 100_000),
    maxComplexity: integer(env, 'MAX_COMPLEXITY', 20_000, 10, 10_000_000),
    maxFields: integer(env, 'MAX_FIELDS', 1000, 10, 100_000),
    auditScanMaxEntries: integer(env, 'AUDIT_SCAN_MAX_ENTRIES', 100_000, 500, 10_000_000),
    auditScanConcurrency: integer(env, 'AUDIT_SCAN_CONCURRENCY', 8, 1, 64),
    pamPageSize: integer(env, 'PAM_PAGE_SIZE', 1000, 1, 1000),
    pamPageConcurrency: integer(env, 'PAM_PAGE_CONCURRENCY', 4, 1, 64),
    pamPagingMinIds: integer(env, 'PAM_PAGING_MIN_IDS', 4, 2, 100_000),
    graphiql: bool(env, 'GRAPHIQL', true),
    corsOrigins: origins(env, 'CORS_ORIGINS'),
    corsAllowCredentials: bool(env, 'CORS_ALLOW_CREDENTIALS', false),
    allowNetworkFallback: bool(env, 'ALLOW_NETWORK_FALLBACK', false),
    allowedHosts: allowedHosts(env, text(env, 'HOST') ?? '127.0.0.1'),
    introspection: bool(env, 'INTROSPECTION', true),
    persistedDocuments: persistedMode(env),
    persistedDocumentsManifest: manifest(env, 'PERSISTED_DOCUMENTS_FILE'),
    routerSecret: text(env, 'ROUTER_SECRET'),
    maxRequestBytes: integer(env, 'MAX_REQUEST_BYTES', 1024 * 1024, 1024, 2 ** 30),
    maxConcurrentRequests: integer(env, 'MAX_CONCURRENT_REQUESTS', 32, 1, 100_000),
    admissionTurnMs: integer(env, 'ADMISSION_TURN_MS', 5, 0, 1000),
    requestTimeoutMs: integer(env, 'REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000),
    breakerThreshold: integer(env, 'CIRCUIT_BREAKER_THRESHOLD', 5, 1, 1000),
    breakerCooldownMs: integer(env, 'CIRCUIT_BREAKER_COOLDOWN_MS', 10_000, 100, 3_600_000),
    views: bool(env, 'VIEWS', true),
    viewMaxAgeMs: integer(env, 'VIEW_MAX_AGE_MS', 5000, 100, 3_600_000),
    viewIdleMs: integer(env, 'VIEW_IDLE_MS', 300_000, 1000, 86_400_000),
    viewMemoryMb: integer(env, 'VIEW_MEMORY_MB', 256, 1, 1_000_000),
    auditViewSharing: auditSharing(env),
    auditViewReconcileMs: integer(env, 'AUDIT_VIEW_RECONCILE_MS', 60_000, 1000, 86_400_000),
    auditFeedIntervalMs: integer(env, 'AUDIT_FEED_INTERVAL_MS', 2000, 100, 3_600_000),
    maxSubscriptionsPerCredential: integer(env, 'MAX_SUBSCRIPTIONS_PER_CREDENTIAL', 10, 1, 100_000),
    maxSubscriptions: integer(env, 'MAX_SUBSCRIPTIONS', 1000, 1, 1_000_000),
    debugExtensions: bool(env, 'DEBUG_EXTENSIONS', false),
    metrics: bool(env, 'METRICS', true),
    metricsHost: text(env, 'METRICS_HOST') ?? '127.0.0.1',
    metricsPort: integer(env, 'METRICS_PORT', 9464, 0, 65_535),
    metricsMaxOperationNames: integer(env, 'METRICS_MAX_OPERATION_NAMES', 100, 1, 10_000),
    readyProbeIntervalMs: integer(env, 'READY_PROBE_INTERVAL_MS', 10_000, 100, 3_600_000),
    readyRequiresUpstreams: bool(env, 'READY_REQUIRES_UPSTREAMS', false),
    drainDelayMs: integer(env, 'DRAIN_DELAY_MS', 5000, 0, 600_000),
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 25_000, 0, 3_600_000),
    simulatorSeed: integer(env, 'SIMULATOR_SEED', 1, 0, 2 ** 32 - 1),
    simulatorLatencyMs: integer(env, 'SIMULATOR_LATENCY_MS', 0, 0, 60_000),
  };
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(config.logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent.`);
  }
  if (config.defaultPageSize > config.maxPageSize) {
    throw new ConfigError('DEFAULT_PAGE_SIZE must not exceed MAX_PAGE_SIZE.');
  }
  if (config.persistedDocuments !== 'off' && !config.persistedDocumentsManifest) {
    throw new ConfigError(`PERSISTED_DOCUMENTS=${config.persistedDocuments} needs PERSISTED_DOCUMENTS_FILE.`);
  }
  if (config.requestTimeoutMs <= config.upstreamTimeoutMs) {
    // The breaker counts an upstream call that ran out its own deadline; one cut by the operation's deadline
    // first proves nothing about the upstream, so a hung upstream would never open its circuit.
    throw new ConfigError('REQUEST_TIMEOUT_MS must be greater than UPSTREAM_TIMEOUT_MS.');
  }
  if (config.routerSecret !== undefined && config.routerSecret.length < 16) {
    throw new ConfigError('ROUTER_SECRET must be at least 16 characters long.');
  }
  if (config.pamTokenHeader === config.auditKeyHeader) {
    throw new ConfigError('PAM_TOKEN_HEADER and AUDIT_KEY_HEADER must differ.');
  }
  return config;
}
