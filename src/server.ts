/**
 * `createGateway`: the Yoga instance with its plugins, over the two upstreams. Nothing listens here:
 * `main.ts` mounts it on a node:http server, tests call `yoga.fetch` or mount it on port 0.
 */

import { useDeferStream } from '@graphql-yoga/plugin-defer-stream';
import { type GraphQLError, getOperationAST } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { Admission, releaseOnUpstreamWait, useAdmission } from './admission.js';
import type { Config } from './config.js';
import { createContext, type GatewayContext } from './context.js';
import { createErrorMasker, isGatewayError } from './errors.js';
import { EXAMPLE_QUERY } from './example-query.js';
import { AuditFeed } from './feed/audit-feed.js';
import { useQueryLimits } from './limits.js';
import type { LoaderOptions } from './loaders/index.js';
import type { Logger } from './logger.js';
import type { GatewayMetrics } from './ops/metrics.js';
import { newPlanRecorder, PLAN_HEADER, planOf, wantsPlan } from './ops/plan.js';
import { Readiness, useReadiness } from './ops/readiness.js';
import { startOperation } from './ops/tracing.js';
import { isHostAllowed, useHostCheck, useNoFraming } from './plugins/browser-guards.js';
import { corsPolicy, PREFLIGHT_HEADER, useVaryOnOrigin } from './plugins/cors.js';
import { useCsrfPrevention } from './plugins/csrf.js';
import { useOperationDeadline } from './plugins/operation-deadline.js';
import { usePersistedDocuments } from './plugins/persisted-documents.js';
import { useProductionPolicies } from './plugins/production-policies.js';
import { requestIdOf } from './request-id.js';
import { subgraphSchema } from './schema/index.js';
import { UpstreamHttp } from './upstream/http.js';
import type { BoundUpstream, UpstreamSetup } from './upstream/setup.js';
import { useNoLiteralEcho } from './variable-errors.js';
import { AuditScopes } from './views/audit-scopes.js';
import { ViewRegistry } from './views/registry.js';
import { ScopeKeys } from './views/scope-key.js';

export type GatewaySettings = Pick<
  Config,
  | 'pamTokenHeader'
  | 'auditKeyHeader'
  | 'upstreamTimeoutMs'
  | 'upstreamConnections'
  | 'upstreamRequestBudget'
  | 'upstreamMaxResponseBytes'
  | 'defaultPageSize'
  | 'maxPageSize'
  | 'maxDepth'
  | 'maxAliases'
  | 'maxTokens'
  | 'maxComplexity'
  | 'maxFields'
  | 'auditScanMaxEntries'
  | 'auditScanConcurrency'
  | 'pamPageSize'
  | 'pamPageConcurrency'
  | 'pamPagingMinIds'
  | 'graphiql'
  | 'allowedHosts'
  | 'corsOrigins'
  | 'corsAllowCredentials'
  | 'introspection'
  | 'persistedDocuments'
  | 'persistedDocumentsManifest'
  | 'routerSecret'
  | 'maxRequestBytes'
  | 'requestTimeoutMs'
  | 'breakerThreshold'
  | 'breakerCooldownMs'
  | 'views'
  | 'viewMaxAgeMs'
  | 'viewIdleMs'
  | 'viewMemoryMb'
  | 'auditViewSharing'
  | 'auditViewReconcileMs'
  | 'auditFeedIntervalMs'
  | 'maxSubscriptionsPerCredential'
  | 'maxSubscriptions'
  | 'readyProbeIntervalMs'
  | 'readyRequiresUpstreams'
  | 'debugExtensions'
  | 'maxConcurrentRequests'
  | 'admissionTurnMs'
>;

export interface GatewayOptions {
  settings: GatewaySettings;
  pam: UpstreamSetup;
  audit: UpstreamSetup;
  logger: Logger;
  /** Prometheus metrics (main.ts serves them on their own port); none when absent. */
  metrics?: GatewayMetrics | undefined;
  /**
   * Default true. `false` builds the gateway without the browser and HTTP protections (CSRF prevention, closed
   * CORS, introspection policies, trusted documents, body limit, operation deadline, circuit breaker). Only the
   * benchmark uses it, to measure what they cost in the same run; no setting reaches it.
   */
  protections?: boolean;
}

export interface Gateway {
  yoga: YogaServerInstance<Record<string, unknown>, GatewayContext>;
  /** The shared views (absent with VIEWS=off): for the benchmarks' and tests' measurements. */
  views?: ViewRegistry;
  /** The live audit feed: its streams and pollers, for the tests' measurements. */
  feed: AuditFeed;
  /** `/ready`: probes the upstreams once started (`readiness.start()`), and drains on request. */
  readiness: Readiness;
  /** Closes the upstream connection pools; `force` aborts what they still have in flight. */
  close(options?: { force?: boolean }): Promise<void>;
}

function bind(name: 'pam' | 'audit', setup: UpstreamSetup, options: GatewayOptions): BoundUpstream {
  const { settings, logger } = options;
  const http = new UpstreamHttp({
    name,
    baseUrl: setup.url,
    timeoutMs: settings.upstreamTimeoutMs,
    connections: settings.upstreamConnections,
    maxResponseBytes: settings.upstreamMaxResponseBytes,
    ca: setup.ca,
    logger,
    breakerThreshold: options.protections === false ? false : settings.breakerThreshold,
    breakerCooldownMs: settings.breakerCooldownMs,
    onAttempt:
      options.metrics &&
      ((call) => options.metrics?.upstreamAttempt({ ...call, seconds: call.durationMs / 1000 })),
  });
  const header = name === 'pam' ? settings.pamTokenHeader : settings.auditKeyHeader;
  return { name, http, setup, header };
}

/** The error codes of a result's errors (the gateway's own, or GraphQL's), first one first. */
function codesOf(errors: readonly (GraphQLError | Error)[] | undefined, otherwise = 'INTERNAL'): string[] {
  return (errors ?? []).map((e) => {
    const original = 'originalError' in e ? e.originalError : e;
    if (isGatewayError(original)) return original.code;
    return String(('extensions' in e ? e.extensions?.code : undefined) ?? otherwise);
  });
}

interface OperationReport {
  operationName: string | null;
  type: string;
  durationMs: number;
  upstreamRequests: number;
  errorCodes: string[];
  traceId?: string | undefined;
}

/** An operation's access-log line (or a refused request's) and its count in the metrics. */
function reportOperation(log: Logger, metrics: GatewayMetrics | undefined, op: OperationReport): void {
  log.info(
    {
      operationName: op.operationName,
      durationMs: Math.round(op.durationMs),
      upstreamRequests: op.upstreamRequests,
      ...(op.errorCodes.length > 0 ? { errorCodes: op.errorCodes } : {}),
      ...(op.traceId ? { traceId: op.traceId } : {}),
    },
    'operation',
  );
  metrics?.operation(op.operationName, op.type, op.errorCodes[0], op.durationMs / 1000);
}

/**
 * Logs one line per operation with its upstream cost and error codes, counts it in the metrics, and echoes the
 * request id. A request refused before execution is logged and counted too: at validation (limits, unknown fields),
 * or earlier (a document that does not parse, an unknown or untrusted persisted document, a missing query).
 */
function useOperationLog(
  logger: Logger,
  metrics: GatewayMetrics | undefined,
  debugExtensions: boolean,
): Plugin<GatewayContext> {
  /** GraphQL requests (by their Request) and when they arrived, until they are reported. */
  const unreported = new WeakMap<Request, number>();
  const report = (log: Logger, op: OperationReport) => reportOperation(log, metrics, op);
  return {
    onRequest({ request }) {
      unreported.set(request, performance.now());
    },
    onValidate({ params, context }) {
      const started = performance.now();
      return ({ valid, result }) => {
        if (valid) return;
        const operation = getOperationAST(
          params.documentAST,
          (context as { params?: { operationName?: string } }).params?.operationName,
        );
        // Validation runs before the request's own context (and its logger) exists.
        const request = (context as { request?: Request }).request;
        if (request) unreported.delete(request);
        report(request ? logger.child({ requestId: requestIdOf(request) }) : logger, {
          operationName: operation?.name?.value ?? null,
          type: operation?.operation ?? 'unknown',
          durationMs: performance.now() - started,
          upstreamRequests: 0,
          errorCodes: [...new Set(codesOf(result, 'GRAPHQL_VALIDATION_FAILED'))],
        });
      };
    },
    onExecute({ args }) {
      const started = performance.now();
      const operation = getOperationAST(args.document, args.operationName);
      const operationName = operation?.name?.value ?? null;
      const request = (args.contextValue as { request?: Request }).request;
      if (request) unreported.delete(request);
      // The operation's span (a child of the caller's `traceparent`); its upstream requests run within it.
      const traced = startOperation(
        request?.headers.get('traceparent') ?? null,
        operationName,
        operation?.operation ?? 'unknown',
      );
      const plan = wantsPlan(debugExtensions, request) ? newPlanRecorder() : undefined;
      // The holder is shared with the operation's upstream scopes and view reads (src/context.ts).
      const holder = args.contextValue.trace;
      if (traced.parent) holder.parent = traced.parent;
      if (plan) holder.plan = plan;
      const codes = new Set<string>();
      /** Logs, counts and ends the span once the whole result went out (the last part of a @defer stream). */
      const finish = () => {
        const errorCodes = [...codes];
        traced.end(errorCodes);
        report(args.contextValue.logger, {
          operationName,
          type: operation?.operation ?? 'unknown',
          durationMs: performance.now() - started,
          upstreamRequests: args.contextValue.upstreamCalls.length,
          errorCodes,
          traceId: traced.traceId,
        });
      };
      return {
        onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in result) {
            // Incremental delivery: the parts after the first are still to come.
            return {
              onNext({ result: part }) {
                for (const code of codesOf(part.errors)) codes.add(code);
                for (const item of (part as { incremental?: Array<{ errors?: readonly GraphQLError[] }> })
                  .incremental ?? [])
                  for (const code of codesOf(item.errors)) codes.add(code);
              },
              onEnd: finish,
            };
          }
          // The call plan, asked for with x-pamgraph-plan (DEBUG_EXTENSIONS): what this operation asked upstream.
          if (plan) {
            const upstreamCalls = planOf(args.contextValue.upstreamCalls, plan);
            setResult({ ...result, extensions: { ...result.extensions, upstreamCalls } });
          }
          for (const code of codesOf(result.errors)) codes.add(code);
          finish();
          return undefined;
        },
      };
    },
    // A subscription logs when it starts, one line per event with that event's upstream cost, and when it ends.
    onSubscribe({ args }) {
      const started = performance.now();
      const ctx = args.contextValue;
      const operationName = getOperationAST(args.document, args.operationName)?.name?.value ?? null;
      const request = (ctx as { request?: Request }).request;
      if (request) unreported.delete(request);
      return {
        onSubscribeResult({ result }) {
          const seconds = (performance.now() - started) / 1000;
          if (!(Symbol.asyncIterator in result)) {
            const codes = codesOf(result.errors);
            ctx.logger.info({ operationName, codes }, 'subscription refused');
            metrics?.operation(operationName, 'subscription', codes[0] ?? 'INTERNAL', seconds);
            return;
          }
          ctx.logger.info({ operationName }, 'subscription started');
          metrics?.operation(operationName, 'subscription', undefined, seconds);
          return {
            onNext() {
              ctx.logger.info(
                { operationName, upstreamRequests: ctx.upstreamCalls.length },
                'subscription event',
              );
            },
            onEnd() {
              const durationMs = Math.round(performance.now() - started);
              ctx.logger.info({ operationName, durationMs }, 'subscription ended');
            },
          };
        },
      };
    },
    // Refused before validation: Yoga turns the error into a result (HTTP 400) without any hook above running.
    onResultProcess({ request, result }) {
      const started = unreported.get(request);
      if (started === undefined) return;
      unreported.delete(request);
      for (const one of Array.isArray(result) ? result : [result]) {
        if (Symbol.asyncIterator in one) continue;
        report(logger.child({ requestId: requestIdOf(request) }), {
          operationName: null,
          type: 'unknown',
          durationMs: performance.now() - started,
          upstreamRequests: 0,
          errorCodes: [...new Set(codesOf(one.errors, 'BAD_REQUEST'))],
        });
      }
    },
    onResponse({ request, response }) {
      response.headers.set('x-request-id', requestIdOf(request));
    },
  };
}

/**
 * The browser and HTTP protections, with the plugins that always run (limits, logging) in their place. Without
 * protections, Yoga's own defaults apply: open CORS, a 25 MB body limit, no CSRF check.
 */
function httpPolicies(
  logger: Logger,
  settings: GatewaySettings,
  protections: boolean,
  readiness: Readiness,
  metrics: GatewayMetrics | undefined,
) {
  const always = {
    ready: useReadiness(readiness),
    // `@defer` and `@stream`: a client that speaks incremental delivery gets slow parts (an audit trail) later,
    // over multipart/mixed or SSE, instead of waiting for all of them.
    deferStream: useDeferStream(),
    limits: useQueryLimits(settings),
    log: useOperationLog(logger, metrics, settings.debugExtensions),
    admission: useAdmission(
      new Admission(settings.maxConcurrentRequests, settings.admissionTurnMs || Infinity),
    ),
  };
  if (!protections) {
    return {
      graphiql: settings.graphiql,
      plugins: [
        always.ready,
        always.deferStream,
        useNoLiteralEcho(),
        ...always.limits,
        always.log,
        always.admission,
      ],
    };
  }
  return {
    cors: corsPolicy(settings),
    // Yoga refuses a larger body with 413 before reading it (Content-Length) or while reading it (chunked).
    maxRequestBodySize: settings.maxRequestBytes,
    graphiql: graphiqlEnabled(settings)
      ? // Yoga serves the page before any plugin of ours runs, so the Host check is repeated here.
        (request: Request) =>
          isHostAllowed(settings.allowedHosts, request.headers.get('host')) && {
            title: 'pamgraph',
            defaultQuery: EXAMPLE_QUERY,
            // Sent with every request GraphiQL makes, so that its GETs (subscriptions, later) pass CSRF prevention.
            additionalHeaders: { [PREFLIGHT_HEADER]: '1' },
            // With DEBUG_EXTENSIONS, the Headers pane starts with the call plan asked for (and can be edited).
            ...(settings.debugExtensions ? { headers: JSON.stringify({ [PLAN_HEADER]: '1' }, null, 2) } : {}),
          }
      : false,
    plugins: [
      always.ready,
      // Refused before anything else runs: its access-log line and its count, like any refused request. The Host is
      // the caller's text: cut short, and written by pino as a JSON string.
      useHostCheck(settings.allowedHosts, (request) =>
        reportOperation(
          logger.child({
            requestId: requestIdOf(request),
            host: request.headers.get('host')?.slice(0, 255) ?? null,
          }),
          metrics,
          {
            operationName: null,
            type: 'unknown',
            durationMs: 0,
            upstreamRequests: 0,
            errorCodes: ['HOST_NOT_ALLOWED'],
          },
        ),
      ),
      useNoFraming(),
      useVaryOnOrigin(),
      useCsrfPrevention(),
      ...useProductionPolicies(settings),
      ...usePersistedDocuments(settings),
      always.deferStream,
      useNoLiteralEcho(),
      ...always.limits,
      useOperationDeadline(),
      always.log,
      always.admission,
    ],
  };
}

/**
 * The audit feed (src/feed): over the shared views' Audit scopes when views are on; with VIEWS=off, over scopes of
 * its own, which only learn each key's organisation (one poller per organisation) and build no view.
 */
function createFeed(
  settings: GatewaySettings,
  pam: BoundUpstream,
  audit: BoundUpstream,
  views: ViewRegistry | undefined,
  logger: Logger,
): AuditFeed {
  const keys = views?.keys ?? new ScopeKeys();
  const scopes =
    views?.audit ??
    new AuditScopes(
      audit,
      {
        maxAgeMs: settings.viewMaxAgeMs,
        idleMs: settings.viewIdleMs,
        syncTimeoutMs: settings.requestTimeoutMs,
        reconcileMs: settings.auditViewReconcileMs,
        sharing: settings.auditViewSharing,
        concurrency: settings.auditScanConcurrency,
        memoryBytes: settings.viewMemoryMb * 1024 * 1024,
      },
      keys,
      logger,
    );
  return new AuditFeed(
    { scopes, viewOf: views ? (id) => views.feedView(id) : undefined, pam, keys, logger },
    {
      intervalMs: settings.auditFeedIntervalMs,
      confirmMs: settings.viewMaxAgeMs,
      maxPerCredential: settings.maxSubscriptionsPerCredential,
      maxTotal: settings.maxSubscriptions,
      syncTimeoutMs: settings.requestTimeoutMs,
    },
  );
}

/** GraphiQL needs introspection, and in `require` mode it could not run the documents people type. */
export function graphiqlEnabled(settings: GatewaySettings): boolean {
  return settings.graphiql && settings.introspection && settings.persistedDocuments !== 'require';
}

export function createGateway(options: GatewayOptions): Gateway {
  const { settings, logger } = options;
  const pam = bind('pam', options.pam, options);
  const audit = bind('audit', options.audit, options);
  const limits = { defaultPageSize: settings.defaultPageSize, maxPageSize: settings.maxPageSize };
  const loaderOptions: LoaderOptions = {
    byId: {
      pageSize: settings.pamPageSize,
      concurrency: settings.pamPageConcurrency,
      minIdsForPaging: settings.pamPagingMinIds,
    },
    auditScan: { concurrency: settings.auditScanConcurrency, maxEntries: settings.auditScanMaxEntries },
  };

  // Shared by the requests of one PAM credential; VIEWS=off keeps every request on its own loaders.
  const views = settings.views
    ? new ViewRegistry(
        pam,
        audit,
        {
          maxAgeMs: settings.viewMaxAgeMs,
          idleMs: settings.viewIdleMs,
          syncTimeoutMs: settings.requestTimeoutMs,
          memoryBytes: settings.viewMemoryMb * 1024 * 1024,
          auditReconcileMs: settings.auditViewReconcileMs,
          auditSharing: settings.auditViewSharing,
          auditConcurrency: settings.auditScanConcurrency,
          observer: options.metrics && {
            sync: (collection, kind, ok, seconds) => options.metrics?.viewSync(collection, kind, ok, seconds),
            read: (upstream, hit) => options.metrics?.viewRead(upstream, hit),
          },
        },
        logger,
      )
    : undefined;

  const feed = createFeed(settings, pam, audit, views, logger);
  const readiness = new Readiness(
    { pam: pam.http, audit: audit.http },
    {
      intervalMs: settings.readyProbeIntervalMs,
      timeoutMs: settings.upstreamTimeoutMs,
      requireUpstreams: settings.readyRequiresUpstreams,
    },
    logger,
  );

  const yoga = createYoga<Record<string, unknown>, GatewayContext>({
    // The subgraph schema: every client-facing field, plus federation's `_service` and `_entities`.
    schema: subgraphSchema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    batching: false,
    logging: false,
    maskedErrors: { maskError: createErrorMasker(logger) },
    ...httpPolicies(logger, settings, options.protections !== false, readiness, options.metrics),
    // The bundled GraphiQL (works offline) is 18 MB of JavaScript: loaded on the first page view, never by a
    // gateway nobody browses (it took about 80 MB of memory at start-up).
    renderGraphiQL: async (options) =>
      (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options),
    context: ({ request }) => {
      const requestId = requestIdOf(request);
      return createContext({
        onUpstreamWait: releaseOnUpstreamWait(request),
        request,
        requestId,
        logger: logger.child({ requestId }),
        pam,
        audit,
        limits,
        loaderOptions,
        requestBudget: settings.upstreamRequestBudget,
        requestTimeoutMs: settings.requestTimeoutMs,
        views,
        feed,
        onBudgetRefused: options.metrics && (() => options.metrics?.budgetRefused()),
      });
    },
  });

  options.metrics?.observe({
    circuits: () => ({ pam: pam.http.circuitState, audit: audit.http.circuitState }),
    views: views && (() => views.stats()),
    subscriptions: () => feed.size,
    pollers: () => feed.pollers,
  });

  return {
    yoga,
    ...(views ? { views } : {}),
    feed,
    readiness,
    async close(closeOptions) {
      readiness.stop();
      feed.close();
      if (closeOptions?.force) {
        await Promise.all([pam.http.destroy(), audit.http.destroy()]);
        return;
      }
      await Promise.all([pam.http.close(), audit.http.close()]);
    },
  };
}
