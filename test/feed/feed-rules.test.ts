/**
 * The rules around the live audit feed (issue 12 §5): each event resolves with fresh loaders and a fresh request
 * budget (never the subscription's first context) and under the PAM views' max age; the caps per credential and in
 * all; the operation timeout does not cut a stream; CSRF prevention holds for streams; a key whose organisation is
 * not yet known polls alone, then joins its organisation's poller; a shutdown ends every stream. Through the
 * graphql-sse client library (or raw HTTP where the browser's view matters) over real sockets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callSimulator } from '../support/seed.js';
import { listen, type SseSubscriber, sleep, subscribe } from '../support/sse.js';
import { type Stack, type StackOptions, startStack } from '../support/stack.js';

const BASE = '/ux/nccm/jobs-account-audit/';
const INTERVAL = 300;
const MAX_AGE = 1000;
const ORG = 'acme-networks';

const codes = (s: SseSubscriber): unknown[] =>
  s.events.flatMap((e) => (e.errors ?? []).map((error) => error.extensions?.code));
const ids = (s: SseSubscriber): string[] =>
  s.events.flatMap((e) => {
    const entry = e.data?.auditEntryAdded as { auditId?: string } | undefined;
    return entry?.auditId ? [entry.auditId] : [];
  });

interface Running {
  stack: Stack;
  url: string;
  open: SseSubscriber[];
  start(headers: Record<string, string>, query?: string, variables?: Record<string, unknown>): SseSubscriber;
  create(key: string, organization: string, body?: Record<string, unknown>): Promise<string>;
  stop(): Promise<void>;
}

const FEED = 'subscription { auditEntryAdded { auditId jobName } }';

async function run(options: StackOptions): Promise<Running> {
  const stack = await startStack({ mode: 'forward', ...options });
  const server = await listen(stack);
  const open: SseSubscriber[] = [];
  return {
    stack,
    url: server.url,
    open,
    start(headers, query = FEED, variables) {
      const s = subscribe(server.url, headers, query, variables);
      open.push(s);
      return s;
    },
    async create(key, organization, body = {}) {
      const reply = await callSimulator<{ id: string }>(stack.sims.audit.url, 'POST', BASE, {
        auth: key,
        body: { organization, job_name: 'feed-rules', ...body },
      });
      expect(reply.status).toBe(201);
      return reply.body.id;
    },
    async stop() {
      for (const s of open) s.close();
      await server.close();
      await stack.stop();
    },
  };
}

for (const views of [false, true]) {
  describe(`each event resolves on its own, views ${views ? 'on' : 'off'}`, () => {
    let r: Running;
    beforeAll(async () => {
      // One upstream request per operation: enough for one event's servers, not for two events' together.
      r = await run({
        settings: { views, auditFeedIntervalMs: INTERVAL, viewMaxAgeMs: MAX_AGE, upstreamRequestBudget: 1 },
      });
    });
    afterAll(() => r.stop());

    it('reads PAM again for each event, within its own budget and the views’ max age', async () => {
      const { stack } = r;
      const { primaryKey } = stack.sims.credentials.audit;
      const token = stack.sims.credentials.pam.superadminToken;
      const server = stack.sims.pam.state.servers
        .list()
        .find((s) => /^\d+\.\d+\.\d+\.\d+$/.test(s.address)) as { id: number; address: string; name: string };
      const names = (s: SseSubscriber) =>
        s.events.map((e) => {
          const entry = e.data?.auditEntryAdded as { servers?: Array<{ name: string }> } | undefined;
          return { names: entry?.servers?.map((x) => x.name) ?? null, errors: e.errors?.length ?? 0 };
        });
      const s = r.start(
        { 'x-audit-key': primaryKey, 'x-pam-token': token },
        'subscription { auditEntryAdded { auditId servers { name } } }',
      );
      await s.connected;
      await r.create(primaryKey, ORG, { ipaddress: server.address, connection_protocol: '' });
      await s.until((events) => events.length >= 1);

      const renamed = `${server.name}-renamed`;
      const patch = await callSimulator(stack.sims.pam.url, 'PATCH', `/api/system/servers/${server.id}`, {
        auth: token,
        body: { name: renamed },
      });
      expect(patch.status).toBe(200);
      // Past the views' max age, so that a view answers what the upstream says now.
      await sleep(MAX_AGE + 200);
      await r.create(primaryKey, ORG, { ipaddress: server.address, connection_protocol: '' });
      await s.until((events) => events.length >= 2);

      const [first, second] = names(s);
      expect(first?.errors).toBe(0);
      expect(first?.names).toContain(server.name);
      expect(second?.errors).toBe(0);
      expect(second?.names).toContain(renamed);
      expect(second?.names).not.toContain(server.name);

      // One log line per event with that event's own upstream cost (views off: the server list, each time); no
      // credential in any line.
      const events = stack.logs.lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'subscription event');
      expect(events.map((l) => l.upstreamRequests)).toEqual(views ? [0, 0] : [1, 1]);
      expect(stack.logs.text).not.toContain(primaryKey);
      expect(stack.logs.text).not.toContain(token);
      s.close();
    });
  });
}

describe('caps, timeout and CSRF', () => {
  let r: Running;
  beforeAll(async () => {
    r = await run({
      settings: {
        auditFeedIntervalMs: INTERVAL,
        maxSubscriptionsPerCredential: 2,
        maxSubscriptions: 3,
        requestTimeoutMs: 300,
        // No credential check falls due during these tests (a slow PAM API would fail one: see the outage tests).
        viewMaxAgeMs: 60_000,
      },
    });
    r.stack.sims.audit.addKey('caps-key-b', ORG);
    r.stack.sims.audit.addKey('caps-key-c', ORG);
    r.stack.sims.audit.addKey('caps-key-d', ORG);
  });
  afterAll(() => r.stop());

  it('refuses a third stream of one Audit key, and a fourth in all, with TOO_MANY_SUBSCRIPTIONS', async () => {
    const { primaryKey } = r.stack.sims.credentials.audit;
    const a1 = r.start({ 'x-audit-key': primaryKey });
    const a2 = r.start({ 'x-audit-key': primaryKey });
    await Promise.all([a1.connected, a2.connected]);
    await sleep(100);
    expect(codes(a1)).toEqual([]);

    const a3 = r.start({ 'x-audit-key': primaryKey });
    await a3.ended();
    expect(codes(a3)).toEqual(['TOO_MANY_SUBSCRIPTIONS']);
    expect(a3.events[0]?.errors?.[0]?.message).toContain('MAX_SUBSCRIPTIONS_PER_CREDENTIAL');

    const b = r.start({ 'x-audit-key': 'caps-key-b' });
    await b.connected;
    await sleep(100);
    expect(codes(b)).toEqual([]);
    const c = r.start({ 'x-audit-key': 'caps-key-c' });
    await c.ended();
    expect(codes(c)).toEqual(['TOO_MANY_SUBSCRIPTIONS']);
    expect(c.events[0]?.errors?.[0]?.message).toContain('(MAX_SUBSCRIPTIONS)');

    // A stream that ends gives its place back.
    a1.close();
    const deadline = performance.now() + 5000;
    while (r.stack.gateway.feed.size > 2 && performance.now() < deadline) await sleep(20);
    const again = r.start({ 'x-audit-key': primaryKey });
    await again.connected;
    await sleep(100);
    expect(codes(again)).toEqual([]);
    for (const s of [a2, b, again]) s.close();
    while (r.stack.gateway.feed.size > 0 && performance.now() < deadline + 5000) await sleep(20);
  });

  it('counts a PAM token’s streams too, whatever Audit key they come with', async () => {
    const token = r.stack.sims.credentials.pam.superadminToken;
    const { primaryKey } = r.stack.sims.credentials.audit;
    const s1 = r.start({ 'x-audit-key': primaryKey, 'x-pam-token': token });
    const s2 = r.start({ 'x-audit-key': 'caps-key-b', 'x-pam-token': token });
    await Promise.all([s1.connected, s2.connected]);
    const s3 = r.start({ 'x-audit-key': 'caps-key-d', 'x-pam-token': token });
    await s3.ended();
    expect(codes(s3)).toEqual(['TOO_MANY_SUBSCRIPTIONS']);
    expect(s3.events[0]?.errors?.[0]?.message).toContain('PAM token');
    s1.close();
    s2.close();
    const deadline = performance.now() + 5000;
    while (r.stack.gateway.feed.size > 0 && performance.now() < deadline) await sleep(20);
  });

  it('bounds each event by REQUEST_TIMEOUT_MS, never the stream', async () => {
    const { primaryKey } = r.stack.sims.credentials.audit;
    const token = r.stack.sims.credentials.pam.superadminToken;
    const s = r.start(
      { 'x-audit-key': primaryKey, 'x-pam-token': token },
      'subscription { auditEntryAdded { auditId servers { name } } }',
    );
    await s.connected;
    // Each event's PAM read now takes longer than the 300 ms deadline.
    r.stack.sims.pam.setLatency(700);
    try {
      const first = await r.create(primaryKey, ORG);
      await s.until((events) => events.length >= 1);
      await sleep(1000);
      const second = await r.create(primaryKey, ORG);
      await s.until((events) => events.length >= 2);
      expect(ids(s)).toEqual([first, second]);
      expect(codes(s)).toEqual(['OPERATION_TIMEOUT', 'OPERATION_TIMEOUT']);
      expect(s.completedAt).toBeUndefined();
    } finally {
      r.stack.sims.pam.setLatency(0);
      s.close();
    }
  });

  it('refuses a bad filter with BAD_USER_INPUT and a missing Audit key with UNAUTHENTICATED', async () => {
    const { primaryKey } = r.stack.sims.credentials.audit;
    const bad = r.start(
      { 'x-audit-key': primaryKey },
      'subscription ($f: AuditEntryFilter) { auditEntryAdded(filter: $f) { auditId } }',
      { f: { ipAddress: '10.1.2.300/16' } },
    );
    await bad.ended();
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    const anonymous = r.start({});
    await anonymous.ended();
    expect(codes(anonymous)).toEqual(['UNAUTHENTICATED']);
    expect(anonymous.events[0]?.errors?.[0]?.message).toContain('x-audit-key');
    expect(r.stack.gateway.feed.size).toBe(0);
  });

  it('holds CSRF prevention: a GET stream needs the preflight header', async () => {
    const { primaryKey } = r.stack.sims.credentials.audit;
    const url = `${r.url}?query=${encodeURIComponent(FEED)}`;
    const plain = await fetch(url, { headers: { accept: 'text/event-stream', 'x-audit-key': primaryKey } });
    expect(plain.status).toBe(403);
    expect(await plain.text()).toContain('CSRF_PREVENTED');
    expect(r.stack.gateway.feed.size).toBe(0);

    const controller = new AbortController();
    const ok = await fetch(url, {
      headers: { accept: 'text/event-stream', 'x-audit-key': primaryKey, 'graphql-preflight': '1' },
      signal: controller.signal,
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('text/event-stream');
    expect(r.stack.gateway.feed.size).toBe(1);
    controller.abort();
    await ok.body?.cancel().catch(() => {});
    const deadline = performance.now() + 5000;
    while (r.stack.gateway.feed.size > 0 && performance.now() < deadline) await sleep(20);
    expect(r.stack.gateway.feed.size).toBe(0);
  });
});

describe('clients that fall behind', () => {
  let r: Running;
  beforeAll(async () => {
    r = await run({ settings: { auditFeedIntervalMs: INTERVAL } });
  });
  afterAll(() => r.stop());

  /** Creates `count` entries, 20 requests at a time; their ids in creation order are not needed. */
  const burst = async (key: string, count: number, prefix: string) => {
    const pending = Array.from({ length: count }, (_, i) => i);
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        for (let i = pending.shift(); i !== undefined; i = pending.shift())
          await r.create(key, ORG, { job_name: `${prefix}-${i}` });
      }),
    );
  };

  it('delivers a burst larger than the queue bound whole to a client that reads', async () => {
    const { primaryKey } = r.stack.sims.credentials.audit;
    const s = r.start({ 'x-audit-key': primaryKey });
    await s.connected;
    await burst(primaryKey, 1100, 'burst');
    await s.until((events) => events.length >= 1100, 20_000);
    await sleep(INTERVAL * 3);
    expect(codes(s)).toEqual([]);
    expect(new Set(ids(s)).size).toBe(1100);
    expect(s.events).toHaveLength(1100);
    s.close();
  });

  it('ends the stream of a client still 1,000 events behind when more come, with FEED_OVERFLOW', async () => {
    const { primaryKey } = r.stack.sims.credentials.audit;
    const deadline = performance.now() + 5000;
    while (r.stack.gateway.feed.size > 0 && performance.now() < deadline) await sleep(20);
    // In process, so that no socket buffer absorbs what the client does not read: the stream is pulled only as
    // the reader reads.
    const response = await r.stack.gateway.yoga.fetch('http://pamgraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'x-audit-key': primaryKey },
      body: JSON.stringify({ query: FEED }),
    });
    expect(response.status).toBe(200);
    expect(r.stack.gateway.feed.size).toBe(1);
    await burst(primaryKey, 1010, 'unread');
    // One burst, however large, is queued whole: the stream is still there after the polls that found it.
    await sleep(INTERVAL * 4);
    expect(r.stack.gateway.feed.size).toBe(1);
    // The next entry finds the client still more than 1,000 events behind.
    await r.create(primaryKey, ORG, { job_name: 'one-more' });
    const ended = performance.now() + 10_000;
    while (r.stack.gateway.feed.size > 0 && performance.now() < ended) await sleep(20);
    expect(r.stack.gateway.feed.size).toBe(0);
    expect(r.stack.gateway.feed.pollers).toBe(0);

    // What the client reads when it comes back: at most what was already in flight, then the error, then the end.
    const text = await response.text();
    const events = text.split('\n\n').filter((block) => block.startsWith('event:'));
    expect(events.at(-1)).toMatch(/^event: complete/);
    const last = JSON.parse(events.at(-2)?.replace(/^event: next\ndata: /, '') ?? '{}');
    expect(last.errors?.[0]?.extensions?.code).toBe('FEED_OVERFLOW');
    expect(last.errors?.[0]?.message).toContain('createdAfter');
    expect(events.length).toBeLessThan(10);
  });
});

describe('credentials the upstream cannot confirm for a while', () => {
  let r: Running;
  beforeAll(async () => {
    // Confirmations time out after 300 ms (the sync deadline is REQUEST_TIMEOUT_MS).
    r = await run({
      settings: { auditFeedIntervalMs: INTERVAL, viewMaxAgeMs: MAX_AGE, requestTimeoutMs: 300 },
    });
  });
  afterAll(() => r.stop());

  it('holds events while the PAM token goes unconfirmed; then delivers them, or ends the revoked one’s stream', async () => {
    const { stack } = r;
    const { primaryKey } = stack.sims.credentials.audit;
    const admin = String(stack.sims.pam.state.users.list().find((u) => u.role === 'admin')?.name);
    stack.sims.pam.addToken('outage-kept', admin);
    stack.sims.pam.addToken('outage-revoked', admin);
    const kept = r.start({ 'x-audit-key': primaryKey, 'x-pam-token': 'outage-kept' });
    const revoked = r.start({ 'x-audit-key': primaryKey, 'x-pam-token': 'outage-revoked' });
    await Promise.all([kept.connected, revoked.connected]);
    try {
      // The PAM API stops answering in time: no confirmation succeeds from now on.
      stack.sims.pam.setLatency(1000);
      await sleep(MAX_AGE + 300);
      const createdAt = performance.now();
      const id = await r.create(primaryKey, ORG);
      // Polled, but not sent: neither token has been confirmed within VIEW_MAX_AGE_MS.
      const polled = () =>
        stack.sims.audit.requests
          .list()
          .filter((q) => q.query.items_per_page === '100' && q.startedAt > createdAt && q.endedAt > 0).length;
      while (polled() < 2) await sleep(20);
      expect(kept.events).toEqual([]);
      expect(revoked.events).toEqual([]);
      stack.sims.pam.revokeToken('outage-revoked');
      stack.sims.pam.setLatency(0);
      await kept.until((events) => events.length >= 1, 5000);
      await revoked.ended(5000);
      expect(ids(kept)).toEqual([id]);
      expect(codes(kept)).toEqual([]);
      // The revoked token's stream ends without the entry that arrived while it could not be confirmed.
      expect(ids(revoked)).toEqual([]);
      expect(codes(revoked)).toEqual(['UNAUTHENTICATED']);
    } finally {
      stack.sims.pam.setLatency(0);
      kept.close();
    }
  });
});

describe('credential checks', () => {
  let r: Running;
  beforeAll(async () => {
    r = await run({ settings: { auditFeedIntervalMs: INTERVAL, viewMaxAgeMs: MAX_AGE } });
  });
  afterAll(() => r.stop());

  it('confirm each credential at least once per max age, with one request shared by its streams', async () => {
    const { stack } = r;
    const { primaryKey } = stack.sims.credentials.audit;
    const token = stack.sims.credentials.pam.superadminToken;
    const streams = [1, 2, 3].map(() => r.start({ 'x-audit-key': primaryKey, 'x-pam-token': token }));
    await Promise.all(streams.map((s) => s.connected));
    stack.resetRecords();
    const window = MAX_AGE * 3;
    await sleep(window);
    const pamChecks = stack.sims.pam.requests
      .list()
      .filter((q) => q.path === '/api/system/servers' && q.query.page_size === '1');
    const auditChecks = stack.sims.audit.requests.list().filter((q) => q.query.items_per_page === '1');
    // At least one per max age; at most one per half of it: three streams of one token or key share each check.
    expect(pamChecks.length).toBeGreaterThanOrEqual(window / MAX_AGE - 1);
    expect(pamChecks.length).toBeLessThanOrEqual(window / (MAX_AGE / 2) + 1);
    // The organisation's poll reads with this key every interval: that confirms it, no request of its own needed.
    expect(auditChecks).toEqual([]);
    for (const s of streams) s.close();
  });
});

describe('streams that end while they are being set up', () => {
  let r: Running;
  beforeAll(async () => {
    r = await run({ settings: { auditFeedIntervalMs: INTERVAL, maxConcurrentRequests: 1 } });
  });
  afterAll(() => r.stop());

  const waitIdle = async () => {
    const deadline = performance.now() + 5000;
    while (
      (r.stack.gateway.feed.size > 0 || r.stack.gateway.feed.pollers > 0) &&
      performance.now() < deadline
    )
      await sleep(20);
  };

  it('gives everything back when the client leaves before its stream started', async () => {
    const { primaryKey } = r.stack.sims.credentials.audit;
    r.stack.sims.audit.setLatency(400);
    try {
      const controller = new AbortController();
      const pending = fetch(r.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          'x-audit-key': primaryKey,
        },
        body: JSON.stringify({ query: FEED }),
        signal: controller.signal,
      }).catch(() => undefined);
      await sleep(150);
      expect(r.stack.gateway.feed.size).toBe(1);
      controller.abort();
      await pending;
      // The set-up goes on until its upstream requests are answered, then gives up (and says so in the log).
      const refused = () => r.stack.logs.lines.some((l) => l.includes('"msg":"subscription refused"'));
      const deadline = performance.now() + 5000;
      while (!refused() && performance.now() < deadline) await sleep(20);
      expect(refused()).toBe(true);
      await sleep(100);
      expect(r.stack.gateway.feed.size).toBe(0);
      expect(r.stack.gateway.feed.pollers).toBe(0);
      expect(r.stack.logs.text).not.toContain('"level":50');
      // Nobody polls for it.
      r.stack.resetRecords();
      await sleep(INTERVAL * 3);
      expect(r.stack.sims.audit.requests.list()).toEqual([]);
    } finally {
      r.stack.sims.audit.setLatency(0);
    }
  });

  it('gives its admission place up while it waits for the upstream', async () => {
    const { primaryKey } = r.stack.sims.credentials.audit;
    r.stack.sims.audit.setLatency(600);
    try {
      r.stack.resetRecords();
      const s = r.start({ 'x-audit-key': primaryKey });
      await sleep(100);
      // MAX_CONCURRENT_REQUESTS=1: a query that needs no upstream is not held behind the stream's set-up (two
      // requests to an Audit API answering in 600 ms each).
      const res = await r.stack.query('{ __typename }');
      const answeredAt = performance.now();
      expect(res.data).toEqual({ __typename: 'Query' });
      await s.connected;
      // Answered while the set-up still waited for its first upstream answer.
      const firstAnswer = Math.min(...r.stack.sims.audit.requests.list().map((q) => q.endedAt));
      expect(answeredAt).toBeLessThan(firstAnswer);
      s.close();
      await waitIdle();
    } finally {
      r.stack.sims.audit.setLatency(0);
    }
  });

  it('leaves no poller behind when the gateway closes during a set-up', async () => {
    const { primaryKey } = r.stack.sims.credentials.audit;
    r.stack.sims.audit.setLatency(400);
    const s = r.start({ 'x-audit-key': primaryKey });
    await sleep(150);
    r.stack.gateway.feed.close();
    await s.ended(5000);
    r.stack.sims.audit.setLatency(0);
    await sleep(600);
    expect(r.stack.gateway.feed.pollers).toBe(0);
    expect(r.stack.gateway.feed.size).toBe(0);
    r.stack.resetRecords();
    await sleep(INTERVAL * 3);
    expect(r.stack.sims.audit.requests.list()).toEqual([]);
  });
});

describe('caps in fallback mode', () => {
  let r: Running;
  beforeAll(async () => {
    r = await run({
      mode: 'fallback',
      settings: { auditFeedIntervalMs: INTERVAL, maxSubscriptionsPerCredential: 2 },
    });
    r.stack.sims.audit.addKey('fallback-own-1', ORG);
    r.stack.sims.audit.addKey('fallback-own-2', ORG);
    r.stack.sims.audit.addKey('fallback-own-3', ORG);
  });
  afterAll(() => r.stop());

  it('counts anonymous callers together, and callers with their own key apart', async () => {
    const anonymous = [r.start({}), r.start({})];
    await Promise.all(anonymous.map((s) => s.connected));
    const third = r.start({});
    await third.ended();
    expect(codes(third)).toEqual(['TOO_MANY_SUBSCRIPTIONS']);
    expect(third.events[0]?.errors?.[0]?.message).toContain('Audit API key');
    // Own Audit keys, no PAM token: the service PAM token they act with is not theirs to use up.
    const own = ['fallback-own-1', 'fallback-own-2', 'fallback-own-3'].map((key) =>
      r.start({ 'x-audit-key': key }),
    );
    await Promise.all(own.map((s) => s.connected));
    await sleep(100);
    expect(own.flatMap(codes)).toEqual([]);
    expect(r.stack.gateway.feed.size).toBe(5);
    for (const s of [...anonymous, ...own]) s.close();
  });
});

for (const views of [false, true]) {
  describe(`a key whose organisation is not yet known, views ${views ? 'on' : 'off'}`, () => {
    let r: Running;
    beforeAll(async () => {
      r = await run({ settings: { views, auditFeedIntervalMs: INTERVAL, viewMaxAgeMs: MAX_AGE } });
    });
    afterAll(() => r.stop());

    it('polls alone, then joins its organisation’s poller; entries written meanwhile arrive once each, in order', async () => {
      const { stack } = r;
      const org = `initech-${views}`;
      stack.sims.audit.addKey(`new-org-key-1-${views}`, org);
      stack.sims.audit.addKey(`new-org-key-2-${views}`, org);
      const first = r.start({ 'x-audit-key': `new-org-key-1-${views}` });
      const second = r.start({ 'x-audit-key': `new-org-key-2-${views}` });
      await Promise.all([first.connected, second.connected]);
      // Neither key has seen an entry: nothing says they share an organisation, so each polls alone.
      expect(stack.gateway.feed.pollers).toBe(2);

      // A job writes all along: the keys learn their organisation from its first entry and move to one poller
      // while entries keep coming.
      const created: string[] = [];
      const until = performance.now() + 3000;
      while (performance.now() < until) {
        created.push(await r.create(`new-org-key-1-${views}`, org));
        await sleep(40);
      }
      await first.until((events) => events.length >= created.length);
      await second.until((events) => events.length >= created.length);
      await sleep(INTERVAL * 3);
      expect(stack.gateway.feed.pollers).toBe(1);
      expect(ids(first)).toEqual(created);
      expect(ids(second)).toEqual(created);
      first.close();
      second.close();
    });
  });
}

describe('shutdown', () => {
  it('ends every stream when the gateway closes', async () => {
    const r = await run({ settings: { auditFeedIntervalMs: INTERVAL } });
    try {
      const s = r.start({ 'x-audit-key': r.stack.sims.credentials.audit.primaryKey });
      await s.connected;
      expect(r.stack.gateway.feed.pollers).toBe(1);
      r.stack.gateway.feed.close();
      await s.ended();
      expect(s.failure).toBeUndefined();
      expect(codes(s)).toEqual([]);
      expect(r.stack.gateway.feed.size).toBe(0);
      expect(r.stack.gateway.feed.pollers).toBe(0);
    } finally {
      await r.stop();
    }
  });
});
