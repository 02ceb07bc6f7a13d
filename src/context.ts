/**
 * The per-request context: who the caller is on each upstream, the request's loaders, and the log of
 * upstream calls it caused. A fresh context per request; what crosses requests is only the shared views of the
 * request's own scope (src/views): its PAM credential's, and its Audit key's organisation once the upstream confirmed
 * it (else the key's own), unless VIEWS=off or the request says `Cache-Control: no-cache`.
 */
import type { AuditFeed } from './feed/audit-feed.js';
import { createLoaders, type LoaderOptions, type Loaders } from './loaders/index.js';
import type { Logger } from './logger.js';
import type { TraceHolder } from './ops/tracing.js';
import { createOperationDeadline, type OperationDeadline } from './plugins/operation-deadline.js';
import type { UpstreamCall } from './upstream/http.js';
import { RequestBudget, ScopedUpstream } from './upstream/scope.js';
import { type BoundUpstream, credentialFor } from './upstream/setup.js';
import type { PamScopeViews, ScopeLists, ViewRegistry } from './views/registry.js';

function scopeViews(registry: ViewRegistry, credential: string) {
  const { key, views, lists } = registry.pamScope(credential);
  return { scope: key, pam: views, lists };
}

/** The caller's Audit view data, fresh; undefined when it does not fit (then its loaders scan, bounded). */
function auditViewData(registry: ViewRegistry, credential: string, reader: TraceHolder) {
  return async () => {
    const view = await registry.auditView(credential);
    return view ? registry.audit.read(view, (v) => v.data(reader)) : undefined;
  };
}

export interface GatewayContext {
  requestId: string;
  logger: Logger;
  pam: ScopedUpstream;
  audit: ScopedUpstream;
  loaders: Loaders;
  /**
   * The operation's trace and call plan, filled in when it starts executing (src/server.ts); its upstream scopes and
   * view reads report to it.
   */
  trace: TraceHolder;
  /**
   * Replaces every loader of this request with fresh ones. Mutations call it after a write, so that a later
   * field of the same operation never serves what was cached before the write.
   */
  renewLoaders(): void;
  /**
   * A subscription event starts: `target` (the context its resolvers see) gets fresh loaders, a fresh request budget
   * and its own REQUEST_TIMEOUT_MS deadline, and reads the caller's views as they are now. The log of upstream calls
   * starts again. Events of one stream resolve one after the other.
   */
  renewForEvent(target: GatewayContext): void;
  /** The stream ended: the last event's deadline stops. */
  endEvents(): void;
  /** Fires when the client goes away. */
  requestSignal: AbortSignal;
  /** Whether the caller sent its PAM token itself (in fallback mode, it may act with the service's). */
  pamCredentialSent: boolean;
  /** Every upstream attempt this request caused, in order of completion (since the last event, for a stream). */
  upstreamCalls: UpstreamCall[];
  limits: { defaultPageSize: number; maxPageSize: number };
  /** The live audit feed, for `Subscription.auditEntryAdded`. */
  feed?: AuditFeed;
  /** REQUEST_TIMEOUT_MS of this operation; started by `useOperationDeadline` when execution starts. */
  deadline: OperationDeadline;
  /**
   * The shared views of the caller's PAM credential: read from unless the request says `no-cache`, and told of
   * every write either way (so that other credentials' views of what it wrote are invalidated). Absent with
   * VIEWS=off or without a PAM credential.
   */
  views?: {
    registry: ViewRegistry;
    read: boolean;
    /** Absent without a PAM credential. */
    pam?: { scope: string; pam: PamScopeViews; lists: ScopeLists };
    /** The caller's Audit key, to tell its views of a write; absent without one. */
    auditCredential?: string;
  };
}

export interface ContextInput {
  request: Request;
  requestId: string;
  logger: Logger;
  pam: BoundUpstream;
  audit: BoundUpstream;
  limits: GatewayContext['limits'];
  loaderOptions: LoaderOptions;
  /** Most upstream requests this operation may send. */
  requestBudget: number;
  /** REQUEST_TIMEOUT_MS. */
  requestTimeoutMs: number;
  views?: ViewRegistry | undefined;
  /** The live audit feed (`Subscription.auditEntryAdded`). */
  feed?: AuditFeed | undefined;
  /** Told of each upstream request the budget refused (the metrics). */
  onBudgetRefused?: (() => void) | undefined;
  /** Gives the request's admission place up; called before its first upstream call (src/admission.ts). */
  onUpstreamWait?: (() => void) | undefined;
}

/** `Cache-Control: no-cache` (or `no-store`): the caller wants the upstreams' state now, not a view's. */
function bypassesViews(headers: Headers): boolean {
  const value = headers.get('cache-control')?.toLowerCase() ?? '';
  return /(^|,)\s*(no-cache|no-store)\s*(,|$)/.test(value);
}

/**
 * A signal that fires when any of `sources` does, and the function that detaches it from them. (Node 20's
 * `AbortSignal.any` keeps a little memory on a source for every signal made from it until the source is collected:
 * one per event of a long stream.)
 */
function linkedSignal(sources: readonly AbortSignal[]): { signal: AbortSignal; unlink: () => void } {
  const controller = new AbortController();
  const listeners = sources.map((source) => {
    const abort = () => controller.abort(source.reason);
    if (source.aborted) abort();
    else source.addEventListener('abort', abort, { once: true });
    return () => source.removeEventListener('abort', abort);
  });
  return {
    signal: controller.signal,
    unlink: () => {
      for (const remove of listeners) remove();
    },
  };
}

export function createContext(input: ContextInput): GatewayContext {
  const upstreamCalls: UpstreamCall[] = [];
  const observe = (call: UpstreamCall) => {
    upstreamCalls.push(call);
    input.logger.debug({ upstreamCall: call }, 'upstream call');
  };
  const registry = input.views;
  const read = !bypassesViews(input.request.headers);
  /** What one operation (or one subscription event) has of its own: budget, deadline, upstream scopes, loaders. */
  const operation = () => {
    const budget = new RequestBudget(input.requestBudget, input.onBudgetRefused);
    const deadline = createOperationDeadline(input.requestTimeoutMs);
    // Upstream calls end when the client goes away or when the operation's deadline passes.
    const { signal, unlink } = linkedSignal([input.request.signal, deadline.signal]);
    const trace: TraceHolder = {};
    const scope = (upstream: BoundUpstream) =>
      new ScopedUpstream(upstream.http, {
        credential: credentialFor(upstream, input.request.headers),
        credentialHeader: upstream.header,
        requestId: input.requestId,
        signal,
        observe,
        budget,
        deadline,
        trace,
        ...(input.onUpstreamWait ? { onSend: input.onUpstreamWait } : {}),
      });
    const pam = scope(input.pam);
    const audit = scope(input.audit);
    const pamCredential = pam.scope.credential;
    const auditCredential = audit.scope.credential;
    const views = registry
      ? {
          registry,
          read,
          ...(pamCredential !== undefined ? { pam: scopeViews(registry, pamCredential) } : {}),
          ...(auditCredential !== undefined ? { auditCredential } : {}),
        }
      : undefined;
    const readViews =
      registry && read
        ? {
            pam: views?.pam?.pam,
            lists: views?.pam?.lists,
            audit:
              auditCredential !== undefined ? auditViewData(registry, auditCredential, trace) : undefined,
            auditDefaults:
              auditCredential !== undefined
                ? () => registry.audit.defaults(auditCredential, trace)
                : undefined,
            reader: trace,
          }
        : undefined;
    const loaders = () => createLoaders({ pam, audit }, input.loaderOptions, readViews);
    return { deadline, pam, audit, views, loaders, unlink, trace };
  };
  const first = operation();
  let stopEvent: (() => void) | undefined;
  const context: GatewayContext = {
    requestId: input.requestId,
    logger: input.logger,
    pam: first.pam,
    audit: first.audit,
    loaders: first.loaders(),
    trace: first.trace,
    renewLoaders() {
      // In place: envelop copies this object's properties into Yoga's context, so resolvers hold the same
      // Loaders object but not this property; replacing the property would leave them with stale loaders.
      Object.assign(context.loaders, first.loaders());
    },
    renewForEvent(target) {
      stopEvent?.();
      const next = operation();
      const stopDeadline = next.deadline.start();
      // The request lives as long as the stream: each event's listener on it goes when the event is over.
      stopEvent = () => {
        stopDeadline();
        next.unlink();
      };
      target.pam = next.pam;
      target.audit = next.audit;
      target.deadline = next.deadline;
      target.trace = next.trace;
      if (next.views) target.views = next.views;
      Object.assign(target.loaders, next.loaders());
      upstreamCalls.length = 0;
    },
    endEvents() {
      stopEvent?.();
      stopEvent = undefined;
    },
    requestSignal: input.request.signal,
    pamCredentialSent: Boolean(input.request.headers.get(input.pam.header)?.trim()),
    upstreamCalls,
    limits: input.limits,
    deadline: first.deadline,
    ...(input.feed ? { feed: input.feed } : {}),
    ...(first.views ? { views: first.views } : {}),
  };
  return context;
}
