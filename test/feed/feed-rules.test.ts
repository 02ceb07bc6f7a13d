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
        viewMaxAgeMs: MAX_AGE,
        maxSubscriptionsPerCredential: 2,
        maxSubscriptions: 3,
        requestTimeoutMs: 300,
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
    expect(c.events[0]?.errors?.[0]?.message).toContain('MAX_SUBSCRIPTIONS');

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

  it('keeps a stream open past REQUEST_TIMEOUT_MS, and delivers on it', async () => {
    const { primaryKey } = r.stack.sims.credentials.audit;
    const s = r.start({ 'x-audit-key': primaryKey });
    await s.connected;
    await sleep(1000);
    const id = await r.create(primaryKey, ORG);
    await s.until((events) => events.length >= 1);
    expect(ids(s)).toEqual([id]);
    expect(codes(s)).toEqual([]);
    expect(s.completedAt).toBeUndefined();
    s.close();
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

describe('a key whose organisation is not yet known', () => {
  let r: Running;
  beforeAll(async () => {
    r = await run({ settings: { auditFeedIntervalMs: INTERVAL, viewMaxAgeMs: MAX_AGE } });
  });
  afterAll(() => r.stop());

  it('polls alone, then joins its organisation’s poller once an entry shows it; nothing is sent twice', async () => {
    const { stack } = r;
    stack.sims.audit.addKey('new-org-key-1', 'initech');
    stack.sims.audit.addKey('new-org-key-2', 'initech');
    const first = r.start({ 'x-audit-key': 'new-org-key-1' });
    const second = r.start({ 'x-audit-key': 'new-org-key-2' });
    await Promise.all([first.connected, second.connected]);
    // Neither key has seen an entry: nothing says they share an organisation, so each polls alone.
    expect(stack.gateway.feed.pollers).toBe(2);

    const one = await r.create('new-org-key-1', 'initech');
    await first.until((events) => events.length >= 1);
    await second.until((events) => events.length >= 1);
    // Both keys have now seen an entry of `initech`: one poller for both, after their next confirmation.
    const deadline = performance.now() + MAX_AGE * 3;
    while (stack.gateway.feed.pollers > 1 && performance.now() < deadline) await sleep(20);
    expect(stack.gateway.feed.pollers).toBe(1);

    const two = await r.create('new-org-key-2', 'initech');
    await first.until((events) => events.length >= 2);
    await second.until((events) => events.length >= 2);
    await sleep(INTERVAL * 3);
    expect(ids(first)).toEqual([one, two]);
    expect(ids(second)).toEqual([one, two]);
  });
});

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
