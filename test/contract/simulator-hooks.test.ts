/**
 * The simulators' test hooks that later suites rely on to prove batching and timing: the bounded request
 * record and the added latency. If these lie, every request-count assertion elsewhere proves nothing.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSimulators, startSimulators } from '../../src/simulator/index.js';
import { RequestRecord } from '../../src/simulator/record.js';
import { callSimulator } from '../support/seed.js';

let sims: RunningSimulators;
const pamToken = 'pam-demo-superadmin-key';

beforeAll(async () => {
  sims = await startSimulators({ empty: true, recordLimit: 5 });
});
afterAll(() => sims.stop());

/** A GET of the PAM users list (or of `suffix` below it) with the superadmin's token. */
const users = (suffix = '') =>
  callSimulator(sims.pam.url, 'GET', `/api/system/users${suffix}`, { auth: pamToken });
beforeEach(() => {
  sims.pam.requests.reset();
  sims.pam.setLatency(0);
});

describe('request record', () => {
  it('records method, path, query, headers of interest, status and times of each request', async () => {
    const before = performance.now();
    await callSimulator(sims.pam.url, 'GET', '/api/system/users?page=1&page_size=2', {
      auth: pamToken,
      headers: { 'x-request-id': 'rec-1', 'x-other': 'ignored' },
    });
    const [entry] = sims.pam.requests.list();
    expect(entry).toMatchObject({
      method: 'GET',
      path: '/api/system/users',
      query: { page: '1', page_size: '2' },
      headers: { authorization: pamToken, 'x-request-id': 'rec-1' },
      status: 200,
    });
    expect(entry?.headers).not.toHaveProperty('x-other');
    expect(entry?.startedAt).toBeGreaterThanOrEqual(before);
    expect(entry?.endedAt).toBeGreaterThanOrEqual(entry?.startedAt ?? Number.POSITIVE_INFINITY);
  });

  it('keeps only the newest entries up to its limit, and reset forgets them', async () => {
    for (let i = 1; i <= 7; i++) await users(`/${i}`);
    expect(sims.pam.requests.list().map((r) => r.path)).toEqual(
      [3, 4, 5, 6, 7].map((i) => `/api/system/users/${i}`),
    );
    sims.pam.requests.reset();
    expect(sims.pam.requests.count).toBe(0);
  });

  it('measures how many requests were in flight at once', async () => {
    sims.pam.setLatency(100);
    await Promise.all([1, 2, 3].map(() => users()));
    expect(sims.pam.requests.maxConcurrency()).toBe(3);
    sims.pam.requests.reset();
    for (let i = 0; i < 2; i++) await users();
    expect(sims.pam.requests.maxConcurrency()).toBe(1);
  });

  it('counts overlap from start and end times, treating back-to-back requests as sequential', () => {
    const record = new RequestRecord();
    const a = record.begin('GET', '/a', {});
    const b = record.begin('GET', '/b', {});
    a.startedAt = 0;
    a.endedAt = 10;
    b.startedAt = 10;
    b.endedAt = 20;
    expect(record.maxConcurrency()).toBe(1);
    b.startedAt = 5;
    expect(record.maxConcurrency()).toBe(2);
  });
});

describe('added latency', () => {
  it('delays every response by at least the configured time, and can be changed at run time', async () => {
    sims.pam.setLatency(1_000);
    let started = performance.now();
    await users();
    expect(performance.now() - started).toBeGreaterThanOrEqual(995);
    sims.pam.setLatency(0);
    started = performance.now();
    await users();
    // Far below the 1,000 ms it took with latency (generous: the machine may be loaded).
    expect(performance.now() - started).toBeLessThan(600);
  });
});

describe('shell errors in each API’s own error shape', () => {
  it('answers an oversized body with 413 {detail} on PAM and 413 {error} on Audit', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) });
    const pam = await callSimulator(sims.pam.url, 'POST', '/api/system/users', { auth: pamToken, body: big });
    expect(pam.status).toBe(413);
    expect(pam.body).toEqual({ detail: 'Request body too large.' });
    const audit = await callSimulator(sims.audit.url, 'POST', '/ux/nccm/jobs-account-audit/', {
      auth: 'audit-demo-key-acme',
      body: big,
    });
    expect(audit.status).toBe(413);
    expect(audit.body).toEqual({ error: 'Request body too large.' });
  });
});
