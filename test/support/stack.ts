/**
 * A gateway in process over real simulators on loopback port 0: what most gateway tests run against.
 * Requests go through `yoga.fetch`, the upstream calls over real sockets.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { DocumentNode } from 'graphql';
import { print } from 'graphql';
import { createLogger } from '../../src/logger.js';
import { createGateway, type Gateway, type GatewaySettings } from '../../src/server.js';
import {
  type RunningSimulators,
  type SimulatorsOptions,
  startSimulators,
} from '../../src/simulator/index.js';
import type { UpstreamSetup } from '../../src/upstream/setup.js';
import { LogCapture } from './log-capture.js';
import { callSimulator } from './seed.js';

export interface GraphQLResponse<T> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
  headers: Headers;
  text: string;
}

export interface Stack {
  sims: RunningSimulators;
  gateway: Gateway;
  logs: LogCapture;
  query<T = Record<string, unknown>, V = Record<string, unknown>>(
    document: string | DocumentNode | TypedDocumentNode<T, V>,
    variables?: V,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  /** Forgets the requests both simulators have recorded so far. */
  resetRecords(): void;
  stop(): Promise<void>;
}

export const TEST_SETTINGS: GatewaySettings = {
  pamTokenHeader: 'x-pam-token',
  auditKeyHeader: 'x-audit-key',
  upstreamTimeoutMs: 5_000,
  upstreamConnections: 64,
  upstreamRequestBudget: 500,
  upstreamMaxResponseBytes: 32 * 1024 * 1024,
  defaultPageSize: 20,
  maxPageSize: 100,
  maxDepth: 15,
  maxAliases: 30,
  maxTokens: 5000,
  maxComplexity: 20_000,
  maxFields: 1000,
  auditScanMaxEntries: 100_000,
  auditScanConcurrency: 8,
  pamPageSize: 1000,
  pamPageConcurrency: 4,
  pamPagingMinIds: 4,
  graphiql: true,
  // Tests call `http://pamgraph.test/graphql` in process; the Host check has its own tests.
  allowedHosts: 'any',
  corsOrigins: [],
  corsAllowCredentials: false,
  introspection: true,
  persistedDocuments: 'off',
  persistedDocumentsManifest: undefined,
  routerSecret: undefined,
  maxRequestBytes: 1024 * 1024,
  requestTimeoutMs: 30_000,
  breakerThreshold: 5,
  breakerCooldownMs: 10_000,
  // Suites that count upstream requests per operation, or change the simulators and read at once, run on
  // per-request loaders; the view suites (test/views) turn views on.
  views: false,
  viewMaxAgeMs: 5000,
  viewIdleMs: 300_000,
  viewMemoryMb: 256,
  auditViewSharing: 'organisation',
  auditViewReconcileMs: 60_000,
  auditFeedIntervalMs: 2000,
  maxSubscriptionsPerCredential: 10,
  maxSubscriptions: 1000,
  readyProbeIntervalMs: 10_000,
  debugExtensions: false,
  readyRequiresUpstreams: false,
  maxConcurrentRequests: 32,
  admissionTurnMs: 5,
};

export interface StackOptions {
  simulators?: SimulatorsOptions;
  /** `fallback` (the default here) lends the demo superadmin / primary-organisation credentials. */
  mode?: 'forward' | 'fallback';
  settings?: Partial<GatewaySettings>;
  /** Override an upstream's setup, e.g. to point it at a fault server. */
  pam?: Partial<UpstreamSetup>;
  audit?: Partial<UpstreamSetup>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const sims = await startSimulators({
    sizes: { accounts: 60, servers: 15, safes: 6, listeners: 5, users: 12, auditEntries: 300 },
    ...options.simulators,
  });
  const logs = new LogCapture();
  const mode = options.mode ?? 'fallback';
  const gateway = createGateway({
    settings: { ...TEST_SETTINGS, ...options.settings },
    logger: createLogger({ level: 'debug', destination: logs }),
    pam: {
      url: sims.pam.url,
      credentialMode: mode,
      serviceCredential: sims.credentials.pam.superadminToken,
      ...options.pam,
    },
    audit: {
      url: sims.audit.url,
      credentialMode: mode,
      serviceCredential: sims.credentials.audit.primaryKey,
      ...options.audit,
    },
  });
  return {
    sims,
    gateway,
    logs,
    async query(document, variables, headers) {
      const response = await gateway.yoga.fetch('http://pamgraph.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: typeof document === 'string' ? document : print(document), variables }),
      });
      const text = await response.text();
      const body = JSON.parse(text) as Omit<GraphQLResponse<never>, 'status' | 'headers' | 'text'>;
      return { ...body, status: response.status, headers: response.headers, text } as never;
    },
    resetRecords() {
      sims.pam.requests.reset();
      sims.audit.requests.reset();
    },
    async stop() {
      await gateway.close();
      await sims.stop();
    },
  };
}

/** GETs a simulator path directly (not through the gateway), as a test's independent source of truth. */
export async function upstreamGet<T>(baseUrl: string, path: string, authorization: string): Promise<T> {
  const reply = await callSimulator<T>(baseUrl, 'GET', path, { auth: authorization });
  if (reply.status !== 200) throw new Error(`upstream GET ${path}: HTTP ${reply.status}`);
  return reply.body;
}
