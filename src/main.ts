/**
 * Start-up: read the configuration, start the embedded simulators for every upstream that has no URL,
 * decide each upstream's credential mode, and listen. `npm start` runs this file.
 */
import { createServer, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Config, ConfigError, type CredentialMode, loadConfig, type UpstreamConfig } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { checkNetworkFallback, isLoopbackHost } from './network-fallback.js';
import { GatewayMetrics, manifestOperationNames } from './ops/metrics.js';
import { startTracing, stopTracing } from './ops/tracing.js';
import { createGateway, type Gateway, graphiqlEnabled } from './server.js';
import type { UpstreamSetup } from './upstream/setup.js';

interface Embedded {
  pam?: { url: string; token: string };
  audit?: { url: string; key: string };
  stop(): Promise<void>;
}

/** Starts only the simulators whose upstream is not configured; loaded lazily so production never loads them. */
async function startEmbedded(config: Config, logger: Logger): Promise<Embedded> {
  if (config.pam && config.audit) return { stop: async () => {} };
  const sim = await import('./simulator/index.js');
  let sizes: ReturnType<typeof sim.demoSizesFromEnv>;
  try {
    // The simulator reads its own data-size settings (SIMULATOR_ACCOUNTS …): they are not gateway settings.
    sizes = sim.demoSizesFromEnv(process.env);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const options = { seed: config.simulatorSeed, latencyMs: config.simulatorLatencyMs, sizes };
  const { pam, audit } = sim.DEMO_CREDENTIALS;
  if (!config.pam && !config.audit) {
    const both = await sim.startSimulators(options);
    logger.info(
      { pamUrl: both.pam.url, auditUrl: both.audit.url },
      'embedded simulators started with demo data',
    );
    return {
      pam: { url: both.pam.url, token: pam.superadminToken },
      audit: { url: both.audit.url, key: audit.primaryKey },
      stop: () => both.stop(),
    };
  }
  if (!config.pam) {
    const one = await sim.startPamSimulator(options);
    logger.info({ pamUrl: one.url }, 'embedded PAM simulator started with demo data');
    return { pam: { url: one.url, token: pam.superadminToken }, stop: () => one.stop() };
  }
  // Audit alone: its demo entries cannot match a real PAM appliance's objects, so none are made to match.
  const one = await sim.startAuditSimulator(options, []);
  logger.info({ auditUrl: one.url }, 'embedded Audit simulator started with demo data');
  return { audit: { url: one.url, key: audit.primaryKey }, stop: () => one.stop() };
}

/**
 * An embedded simulator defaults to `fallback` with its demo credential (GraphiQL works at once); a real
 * upstream defaults to `forward`, so lending the service credential to anyone is always a deliberate setting.
 */
function setupFor(
  name: 'PAM' | 'Audit',
  configured: UpstreamConfig | undefined,
  embedded: { url: string; credential: string } | undefined,
  explicitMode: CredentialMode | undefined,
  credentialEnv: string,
): UpstreamSetup {
  if (!configured) {
    if (!embedded) throw new Error(`no ${name} upstream`);
    const mode = explicitMode ?? 'fallback';
    return { url: embedded.url, credentialMode: mode, serviceCredential: embedded.credential };
  }
  const mode = explicitMode ?? 'forward';
  if (mode === 'fallback' && !configured.serviceCredential) {
    throw new ConfigError(`CREDENTIAL_MODE=fallback needs ${credentialEnv} for the ${name} upstream.`);
  }
  return {
    url: configured.url,
    credentialMode: mode,
    serviceCredential: configured.serviceCredential,
    ca: configured.ca,
  };
}

function warnAboutCredentials(
  config: Config,
  logger: Logger,
  pam: UpstreamSetup,
  audit: UpstreamSetup,
): void {
  for (const [name, setup, configured, env] of [
    ['PAM', pam, config.pam, 'PAM_TOKEN'],
    ['Audit', audit, config.audit, 'AUDIT_API_KEY'],
  ] as const) {
    if (setup.credentialMode === 'forward' && configured?.serviceCredential) {
      logger.warn(
        `${env} is set but unused: CREDENTIAL_MODE is forward, so callers must send their own ${name} credential.`,
      );
    }
    if (setup.credentialMode === 'fallback') {
      const what = configured ? `the configured ${env}` : 'the embedded simulator’s demo credential';
      logger.warn(`${name}: callers who send no credential act with ${what} (CREDENTIAL_MODE=fallback).`);
      if (configured && !isLoopbackHost(config.host)) {
        logger.warn(
          `${name}: the service credential can be borrowed by anyone who reaches ${config.host}:${config.port} (ALLOW_NETWORK_FALLBACK=true).`,
        );
      }
    }
  }
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`pamgraph: configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({
    level: config.logLevel,
    credentialHeaders: [config.pamTokenHeader, config.auditKeyHeader],
  });
  // Loaded only when OTEL_EXPORTER_OTLP_ENDPOINT says where to send traces (src/ops/tracing.ts).
  if (await startTracing(process.env, (message, fields) => logger.warn(fields ?? {}, message)))
    logger.info('traces exported over OTLP/HTTP');
  let embedded: Embedded;
  try {
    embedded = await startEmbedded(config, logger);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`pamgraph: configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  let pam: UpstreamSetup;
  let audit: UpstreamSetup;
  let gateway: Gateway;
  let metrics: GatewayMetrics | undefined;
  try {
    const pamEmbedded = embedded.pam && { url: embedded.pam.url, credential: embedded.pam.token };
    const auditEmbedded = embedded.audit && { url: embedded.audit.url, credential: embedded.audit.key };
    pam = setupFor('PAM', config.pam, pamEmbedded, config.credentialMode, 'PAM_TOKEN');
    audit = setupFor('Audit', config.audit, auditEmbedded, config.credentialMode, 'AUDIT_API_KEY');
    checkNetworkFallback(config, [
      { name: 'PAM', realFallback: config.pam !== undefined && pam.credentialMode === 'fallback' },
      { name: 'Audit', realFallback: config.audit !== undefined && audit.credentialMode === 'fallback' },
    ]);
    // Checks what it is given too (a manifest entry whose hash does not match its document).
    metrics = config.metrics
      ? new GatewayMetrics({
          maxOperationNames: config.metricsMaxOperationNames,
          operationNames: manifestOperationNames(config.persistedDocumentsManifest),
        })
      : undefined;
    gateway = createGateway({ settings: config, pam, audit, logger, metrics });
  } catch (error) {
    await embedded.stop();
    if (error instanceof ConfigError) {
      console.error(`pamgraph: configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  warnAboutCredentials(config, logger, pam, audit);

  const metricsServer = metrics ? await serveMetrics(metrics, config, logger) : undefined;
  const server = createServer(gateway.yoga);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const shownHost = ['127.0.0.1', '::1', '0.0.0.0', '::'].includes(config.host) ? 'localhost' : config.host;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${shownHost}:${port}/graphql`;
  logger.info(
    { url, pamMode: pam.credentialMode, auditMode: audit.credentialMode },
    `pamgraph ready: ${graphiqlEnabled(config) ? 'GraphiQL' : 'GraphQL (no GraphiQL)'} at ${url}`,
  );

  gateway.readiness.start();

  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting at once');
      process.exit(1);
    }
    stopping = true;
    void drain(server, gateway, embedded, config, logger, signal, metricsServer).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/**
 * Graceful shutdown (issue 13 §2): `/ready` answers 503 for `DRAIN_DELAY_MS` while requests are still served, so that
 * a load balancer stops sending new ones; then the listener closes, subscriptions end cleanly, and operations in
 * flight complete within `SHUTDOWN_TIMEOUT_MS` (connections still open then are cut); then the upstream pools and
 * the embedded simulators close.
 */
async function drain(
  server: Server,
  gateway: Gateway,
  embedded: Embedded,
  config: Config,
  logger: Logger,
  signal: NodeJS.Signals,
  metricsServer: Server | undefined,
): Promise<void> {
  gateway.readiness.drain();
  logger.info(
    { signal, drainDelayMs: config.drainDelayMs, shutdownTimeoutMs: config.shutdownTimeoutMs },
    'draining: /ready answers 503',
  );
  await sleep(config.drainDelayMs);
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Streams end with a `complete` event; keep-alive connections with no request in flight close now, the others as
  // soon as their response is sent.
  gateway.feed.close();
  server.closeIdleConnections();
  const idle = setInterval(() => server.closeIdleConnections(), 100);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), config.shutdownTimeoutMs);
  });
  const cut = await Promise.race([closed.then(() => false), timedOut]);
  clearInterval(idle);
  clearTimeout(timer);
  if (cut) {
    logger.warn(
      { shutdownTimeoutMs: config.shutdownTimeoutMs },
      'operations still in flight at SHUTDOWN_TIMEOUT_MS: cut',
    );
    server.closeAllConnections();
  }
  metricsServer?.close();
  metricsServer?.closeAllConnections();
  // No client waits any more: what the pools still carry is shared work (view syncs), aborted rather than awaited, so
  // that the process exits within its grace period.
  await Promise.allSettled([gateway.close({ force: true }), embedded.stop(), stopTracing()]);
  logger.info('stopped');
}

/**
 * The metrics listener: `GET /metrics` in Prometheus' text format, on `METRICS_HOST:METRICS_PORT` (loopback by default),
 * apart from the public port. Anything else is 404.
 */
async function serveMetrics(metrics: GatewayMetrics, config: Config, logger: Logger): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    metrics.registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      () => response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new ConfigError(
          `cannot serve metrics on ${config.metricsHost}:${config.metricsPort} (METRICS_HOST, METRICS_PORT): ${error.message}`,
        ),
      ),
    );
    server.listen(config.metricsPort, config.metricsHost, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.metricsPort;
  logger.info({ metricsUrl: `http://${config.metricsHost}:${port}/metrics` }, 'metrics served');
  return server;
}

main().catch((error: unknown) => {
  console.error('pamgraph: failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
