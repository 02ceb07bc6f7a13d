/**
 * The live audit feed (issue 12 §5), through the graphql-sse client library over real sockets. Entries are created
 * directly in the Audit simulator, as a network job would; what reaches each subscriber, and what the simulator was
 * asked, are the evidence. Both with views on (the feed forces the organisation view's incremental sync) and with
 * VIEWS=off (the feed reads the head of the log itself).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../src/simulator/index.js';
import { callSimulator } from '../support/seed.js';
import { listen, type SseSubscriber, sleep, subscribe } from '../support/sse.js';
import { type Stack, startStack } from '../support/stack.js';

const BASE = '/ux/nccm/jobs-account-audit/';
const INTERVAL = 400;
const MAX_AGE = 1000;
const FEED = `subscription ($filter: AuditEntryFilter) {
  auditEntryAdded(filter: $filter) { auditId jobName organization deviceAccount }
}`;

type Added = { auditId: string; jobName: string | null; organization: string | null };
const added = (s: SseSubscriber): Added[] =>
  s.events.flatMap((e) => (e.data?.auditEntryAdded ? [e.data.auditEntryAdded as Added] : []));
const codes = (s: SseSubscriber): unknown[] =>
  s.events.flatMap((e) => (e.errors ?? []).map((error) => error.extensions?.code));

/** The feed's reads of the head of the log: a first page of 100 by creation time, newest first. */
const isHeadPoll = (r: RecordedRequest) =>
  r.method === 'GET' &&
  r.path === BASE &&
  r.query.sort === 'creationtime' &&
  r.query.reverse === 'true' &&
  r.query.items_per_page === '100' &&
  r.query.page === '1';

for (const views of [true, false]) {
  describe(`auditEntryAdded, views ${views ? 'on' : 'off'}`, () => {
    let stack: Stack;
    let server: { url: string; close(): Promise<void> };
    const open: SseSubscriber[] = [];
    const ORG = 'acme-networks';
    const OTHER_ORG = 'globex-telecom';
    const SECOND_KEY = `feed-second-key-${views}`;
    let primaryKey: string;
    let secondaryKey: string;

    const start = (key: string, variables?: Record<string, unknown>, extra: Record<string, string> = {}) => {
      const s = subscribe(server.url, { 'x-audit-key': key, ...extra }, FEED, variables);
      open.push(s);
      return s;
    };
    const create = async (key: string, organization: string, jobName: string) => {
      const reply = await callSimulator<{ id: string }>(stack.sims.audit.url, 'POST', BASE, {
        auth: key,
        body: { organization, job_name: jobName, device_account: 'admin', connection_status: 'Success' },
      });
      expect(reply.status).toBe(201);
      return { id: reply.body.id, at: performance.now() };
    };

    beforeAll(async () => {
      stack = await startStack({
        mode: 'forward',
        settings: { views, auditFeedIntervalMs: INTERVAL, viewMaxAgeMs: MAX_AGE },
      });
      server = await listen(stack);
      ({ primaryKey, secondaryKey } = stack.sims.credentials.audit);
      stack.sims.audit.addKey(SECOND_KEY, ORG);
    });
    afterAll(async () => {
      for (const s of open) s.close();
      await server.close();
      await stack.stop();
    });

    it('delivers an entry created upstream to two subscribers of one organisation, with one poller', async () => {
      const first = start(primaryKey);
      const second = start(SECOND_KEY);
      await Promise.all([first.connected, second.connected]);
      expect(stack.gateway.feed.pollers).toBe(1);

      stack.resetRecords();
      const windowStart = performance.now();
      const entry = await create(primaryKey, ORG, 'feed-two-subscribers');
      for (const s of [first, second]) {
        await s.until((events) => events.some((e) => JSON.stringify(e).includes(entry.id)));
        const event = s.events.find((e) => JSON.stringify(e).includes(entry.id));
        // Within one interval plus processing (generous for a loaded machine).
        expect((event?.at ?? Infinity) - entry.at).toBeLessThan(INTERVAL + 1500);
      }
      expect(added(first).map((e) => e.auditId)).toEqual([entry.id]);
      expect(added(second).map((e) => e.auditId)).toEqual([entry.id]);

      // Let a few intervals pass: one scope, one poller, whatever the number of subscribers and keys.
      await sleep(INTERVAL * 6);
      const polls = stack.sims.audit.requests.list().filter(isHeadPoll);
      const elapsed = performance.now() - windowStart;
      expect(polls.length).toBeGreaterThanOrEqual(3);
      expect(polls.length).toBeLessThanOrEqual(Math.ceil(elapsed / INTERVAL) + 1);
      const gaps = polls.slice(1).map((p, i) => p.startedAt - (polls[i] as RecordedRequest).startedAt);
      expect(Math.min(...gaps)).toBeGreaterThan(INTERVAL * 0.5);
      first.close();
      second.close();
    });

    it('sends a subscriber only what is recorded after it subscribed, also when its poller runs already', async () => {
      const early = start(primaryKey);
      await early.connected;
      const before = await create(primaryKey, ORG, 'feed-before-late-subscriber');
      // Joins the running poller before that poller's next interval has come.
      const late = start(primaryKey);
      await late.connected;
      const after = await create(primaryKey, ORG, 'feed-after-late-subscriber');
      await late.until((events) => events.length >= 1);
      await early.until((events) => events.length >= 2);
      await sleep(INTERVAL * 3);
      expect(added(early).map((e) => e.auditId)).toEqual([before.id, after.id]);
      expect(added(late).map((e) => e.auditId)).toEqual([after.id]);
      early.close();
      late.close();
    });

    it('keeps organisations apart: a subscriber of the other organisation sees only its own entries', async () => {
      const mine = start(primaryKey);
      const theirs = start(secondaryKey);
      await Promise.all([mine.connected, theirs.connected]);
      expect(stack.gateway.feed.pollers).toBe(2);

      const ours = await create(primaryKey, ORG, 'feed-isolation-acme');
      const other = await create(secondaryKey, OTHER_ORG, 'feed-isolation-globex');
      await mine.until((events) => events.length >= 1);
      await theirs.until((events) => events.length >= 1);
      await sleep(INTERVAL * 3);
      expect(added(mine).map((e) => e.auditId)).toEqual([ours.id]);
      expect(added(theirs).map((e) => e.auditId)).toEqual([other.id]);
      expect(added(theirs)[0]?.organization).toBe(OTHER_ORG);
      mine.close();
      theirs.close();
    });

    it('applies the filter, and announces several entries oldest first', async () => {
      const root = start(primaryKey, {
        filter: { deviceAccount: 'root', jobName: { contains: 'FEED-ORDER' } },
      });
      const all = start(primaryKey);
      await Promise.all([root.connected, all.connected]);
      const created: string[] = [];
      for (const account of ['root', 'admin', 'root']) {
        const reply = await callSimulator<{ id: string }>(stack.sims.audit.url, 'POST', BASE, {
          auth: primaryKey,
          body: { organization: ORG, job_name: `feed-order-${account}`, device_account: account },
        });
        created.push(reply.body.id);
        await sleep(5);
      }
      await all.until((events) => events.length >= 3);
      await sleep(INTERVAL * 2);
      expect(added(all).map((e) => e.auditId)).toEqual(created);
      expect(added(root).map((e) => e.auditId)).toEqual([created[0], created[2]]);
      root.close();
      all.close();
    });

    it('ends the stream of a revoked key with UNAUTHENTICATED; the organisation’s other streams go on', async () => {
      const doomedKey = `feed-doomed-key-${views}`;
      stack.sims.audit.addKey(doomedKey, ORG);
      const doomed = start(doomedKey);
      const survivor = start(primaryKey);
      await Promise.all([doomed.connected, survivor.connected]);
      stack.sims.audit.revokeKey(doomedKey);
      const revokedAt = performance.now();
      await doomed.ended(MAX_AGE * 3);
      expect(performance.now() - revokedAt).toBeLessThan(MAX_AGE + 1500);
      expect(codes(doomed)).toEqual(['UNAUTHENTICATED']);

      const entry = await create(primaryKey, ORG, 'feed-after-revocation');
      await survivor.until((events) => JSON.stringify(events).includes(entry.id));
      expect(survivor.completedAt).toBeUndefined();
      survivor.close();
    });

    it('ends the stream of a revoked PAM token with UNAUTHENTICATED', async () => {
      const token = `feed-doomed-token-${views}`;
      const admin = stack.sims.pam.state.users.list().find((u) => u.role === 'admin');
      stack.sims.pam.addToken(token, String(admin?.name));
      const doomed = start(primaryKey, undefined, { 'x-pam-token': token });
      await doomed.connected;
      stack.sims.pam.revokeToken(token);
      await doomed.ended(MAX_AGE * 3);
      expect(codes(doomed)).toEqual(['UNAUTHENTICATED']);
      expect(doomed.events.at(-1)?.errors?.[0]?.message).toContain('PAM');
    });

    it('releases the poller and the caps when clients go away', async () => {
      const a = start(primaryKey);
      const b = start(secondaryKey);
      await Promise.all([a.connected, b.connected]);
      expect(stack.gateway.feed.size).toBe(2);
      a.close();
      b.close();
      const deadline = performance.now() + 5000;
      while (stack.gateway.feed.size > 0 && performance.now() < deadline) await sleep(20);
      expect(stack.gateway.feed.size).toBe(0);
      expect(stack.gateway.feed.pollers).toBe(0);
      // No poller left: the log is not read any more.
      stack.resetRecords();
      await sleep(INTERVAL * 3);
      expect(stack.sims.audit.requests.list().filter(isHeadPoll)).toEqual([]);
    });
  });
}
