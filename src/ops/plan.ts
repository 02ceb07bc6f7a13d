/**
 * The call plan on request (issue 13 §5): with `DEBUG_EXTENSIONS=true`, a request carrying `x-pamgraph-plan: 1` gets
 * `extensions.upstreamCalls`, what its operation asked of the upstreams in order: each call with its method, route
 * template, status, duration, wave and retries, and each read a shared view answered (`view: true`, and whether it
 * waited for a sync). No credential, id or query string appears: routes are templates.
 */
import type { UpstreamCall } from '../upstream/http.js';
import { routeTemplate } from '../upstream/route.js';

export const PLAN_HEADER = 'x-pamgraph-plan';

export interface PlannedCall {
  upstream: 'pam' | 'audit';
  method: string;
  route: string;
  /** HTTP status of the last attempt; null without an answer (and for a view). */
  status: number | null;
  durationMs: number;
  /** 1 + the largest wave of the calls that had ended before it started: calls of one wave went out together. */
  wave: number;
  retries: number;
  /** A shared view answered, without a request of this operation's own. */
  view: boolean;
  /** For a view: whether it waited for a sync (a miss) rather than answering from fresh data. */
  waitedForSync?: boolean;
}

export interface ViewRead {
  upstream: 'pam' | 'audit';
  route: string;
  startedAt: number;
  endedAt: number;
  hit: boolean;
}

export interface PlanRecorder {
  viewReads: ViewRead[];
}

/** Whether `request` asks for its plan (and the gateway allows it). */
export function wantsPlan(enabled: boolean, request: Request | undefined): boolean {
  return enabled && request?.headers.get(PLAN_HEADER)?.trim() === '1';
}

/** A new recorder of what the shared views answer one operation. */
export function newPlanRecorder(): PlanRecorder {
  return { viewReads: [] };
}

/** The plan: the operation's own calls (attempts folded into calls) and the view reads, by start time, with waves. */
export function planOf(calls: readonly UpstreamCall[], recorder: PlanRecorder): PlannedCall[] {
  const own = new Map<number, UpstreamCall>();
  for (const call of calls) {
    const known = own.get(call.callId);
    if (!known || call.attempt > known.attempt) own.set(call.callId, call);
  }
  const entries = [
    ...[...own.values()].map((call) => ({
      instant: false,
      startedAt: call.callStartedAt,
      endedAt: call.callStartedAt + call.callDurationMs,
      planned: {
        upstream: call.upstream,
        method: call.method,
        route: routeTemplate(call.path),
        status: call.status,
        durationMs: Math.round(call.callDurationMs * 10) / 10,
        retries: call.attempt - 1,
        view: false,
      },
    })),
    ...recorder.viewReads.map((read) => ({
      instant: read.hit,
      startedAt: read.startedAt,
      endedAt: read.endedAt,
      planned: {
        upstream: read.upstream,
        method: 'GET',
        route: read.route,
        status: null,
        durationMs: Math.round((read.endedAt - read.startedAt) * 10) / 10,
        retries: 0,
        view: true,
        waitedForSync: !read.hit,
      },
    })),
  ].sort((a, b) => a.startedAt - b.startedAt);
  const waves: number[] = [];
  return entries.map((entry, i) => {
    let wave = 1;
    for (let j = 0; j < i; j++) {
      const before = entries[j];
      // A view answering from fresh data at once is no step anything waited for.
      if (before && !before.instant && before.endedAt <= entry.startedAt)
        wave = Math.max(wave, (waves[j] ?? 0) + 1);
    }
    waves[i] = wave;
    return { ...entry.planned, wave };
  });
}
