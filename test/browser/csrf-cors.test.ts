/**
 * CSRF and CORS in a real browser: Debian's Chromium (headless, through playwright-core) loads an attacker's
 * page from another origin, and the same page inside a sandboxed iframe (origin `null`). The page forges
 * `deleteAccount` mutations with every request a page may send without the target's consent (form POSTs in
 * the three form encodings, no-cors fetches) and tries to read a query's answer (cross-origin GET, JSON POST,
 * text/plain POST).
 *
 * Positive control first: against a stand-in that executes nothing and allows everything, every forged request
 * must arrive, with the mutation in its body, and the page must read the stand-in's answer. Then against a real
 * pamgraph in fallback mode (a caller without credentials acts as the demo superadmin): the simulator must
 * receive nothing, every targeted account must still exist, and the page must read nothing. Last, a page on an
 * origin listed in `corsOrigins` reads data and the exposed `x-request-id`, while its forged writes still fail.
 */
import type { Browser, Frame } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultServer } from '../support/fault-server.js';
import { type Stack, startStack, upstreamGet } from '../support/stack.js';
import {
  type AnsweredRequest,
  type ListeningGateway,
  launchChromium,
  listenGateway,
  STAND_IN_NAMES,
  startAttackerSite,
  startStandIn,
} from './servers.js';

const WRITE_VECTORS = [
  'formUrlencoded',
  'formMultipart',
  'formTextPlain',
  'fetchUrlencoded',
  'fetchTextPlain',
  'fetchMultipart',
] as const;
type WriteVector = (typeof WRITE_VECTORS)[number];
type Mutations = Record<WriteVector, string>;

interface ReadResult {
  read: boolean;
  status?: number;
  names?: string[] | null;
  requestId?: string | null;
  text?: string;
  error?: string;
}

/** What `attack()` in attack-page.js reports. */
interface Findings {
  origin: string;
  writes: Record<WriteVector, string>;
  reads: { get: ReadResult; jsonPost: ReadResult; textPost: ReadResult };
}

type Where = 'cross-origin page' | 'sandboxed iframe';

const READ_QUERY = '{ accounts(first: 3) { edges { node { name } } } }';

/** The forged write: an integer literal is a valid ID and needs no quotes inside the text/plain trick. */
const deleteMutation = (id: number) =>
  `mutation { deleteAccount(id: ${id}) { __typename ... on DeleteAccountPayload { deletedId } } }`;

const TEST_TIMEOUT_MS = 60_000;

let browser: Browser;
let site: FaultServer;
let siteOrigin: string;
let standIn: FaultServer;
let stack: Stack;
let gateway: ListeningGateway;
let allowedStack: Stack;
let allowedGateway: ListeningGateway;
/** Ids of the main stack's accounts, ascending. */
let accountIds: number[];

const superadmin = (s: Stack) => s.sims.credentials.pam.superadminToken;

async function upstreamAccounts(s: Stack): Promise<Array<{ id: number; name: string }>> {
  const accounts = await upstreamGet<Array<{ id: number; name: string }>>(
    s.sims.pam.url,
    '/api/system/accounts?page=1&page_size=100',
    superadmin(s),
  );
  return accounts.sort((a, b) => a.id - b.id);
}

/** One account per write vector, so that a vector that got through would show which one it was. */
function mutationsFor(ids: number[]): Mutations {
  if (ids.length !== WRITE_VECTORS.length) throw new Error(`need ${WRITE_VECTORS.length} account ids`);
  return Object.fromEntries(
    WRITE_VECTORS.map((vector, i) => [vector, deleteMutation(ids[i] as number)]),
  ) as Mutations;
}

/** The main stack's accounts each place targets: distinct, so that runs cannot hide each other's effects. */
const idsFor = (where: Where) =>
  where === 'cross-origin page' ? accountIds.slice(0, 6) : accountIds.slice(6, 12);

/** Loads the attacker's page (or the page in its sandboxed iframe) in a fresh context and runs the attack. */
async function attackFrom(where: Where, target: string, mutations: Mutations): Promise<Findings> {
  // A fresh context: no preflight answer cached by an earlier run.
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    let frame: Frame | null;
    if (where === 'cross-origin page') {
      await page.goto(`${siteOrigin}/attack.html`);
      frame = page.mainFrame();
    } else {
      // goto waits for the load event, which waits for the iframe's own load.
      await page.goto(`${siteOrigin}/sandboxed.html`);
      frame = page.frame({ name: 'sandboxed' });
    }
    if (!frame) throw new Error('the sandboxed iframe did not load');
    await frame.waitForFunction(() => typeof (globalThis as { attack?: unknown }).attack === 'function');
    return await frame.evaluate(
      (config) => (globalThis as unknown as { attack(c: typeof config): Promise<Findings> }).attack(config),
      { target, mutations, readQuery: READ_QUERY },
    );
  } finally {
    await context.close();
  }
}

const originOf = (where: Where) => (where === 'cross-origin page' ? siteOrigin : 'null');

/** Every form loaded an answer and every no-cors fetch resolved: each forged request was answered. */
function expectAllWritesAnswered(findings: Findings) {
  expect(findings.writes).toEqual({
    formUrlencoded: 'loaded',
    formMultipart: 'loaded',
    formTextPlain: 'loaded',
    fetchUrlencoded: 'opaque',
    fetchTextPlain: 'opaque',
    fetchMultipart: 'opaque',
  });
}

/** The GraphQL document a request to the stand-in carried, whatever its encoding. */
function documentIn(method: string, contentType: string, path: string, body: string): string | null {
  if (method === 'GET') return new URL(path, 'http://stand-in.invalid').searchParams.get('query');
  if (contentType === 'application/x-www-form-urlencoded') return new URLSearchParams(body).get('query');
  if (contentType === 'multipart/form-data')
    return /name="query"\r\n\r\n([^\r]*)\r\n/.exec(body)?.[1] ?? null;
  if (contentType === 'text/plain' || contentType === 'application/json') {
    // The text/plain form body is `{"query":"…","x":"="}` and a line break: JSON for a lenient server.
    return (JSON.parse(body) as { query?: string }).query ?? null;
  }
  return null;
}

interface AttackRequest {
  method: string;
  /** Media type without parameters; '' when none. */
  contentType: string;
  /** `sec-fetch-mode`: navigate for forms, no-cors or cors for fetches. */
  mode: string;
  /** The document it carries: a write vector's forged mutation, or the read query. */
  carries: WriteVector | 'read' | null;
  /**
   * What pamgraph answers, whatever the origin; null for the JSON POST, which depends on it: a listed origin
   * gets 200, an unlisted one never sends it (its preflight is answered without any allow header).
   */
  status: number | null;
}

const FORM = 'application/x-www-form-urlencoded';
const MULTIPART = 'multipart/form-data';
const TEXT = 'text/plain';

/** The requests `attack()` sends, in order. */
const ATTACK_REQUESTS: AttackRequest[] = [
  { method: 'POST', contentType: FORM, mode: 'navigate', carries: 'formUrlencoded', status: 403 },
  { method: 'POST', contentType: MULTIPART, mode: 'navigate', carries: 'formMultipart', status: 403 },
  { method: 'POST', contentType: TEXT, mode: 'navigate', carries: 'formTextPlain', status: 403 },
  { method: 'POST', contentType: FORM, mode: 'no-cors', carries: 'fetchUrlencoded', status: 403 },
  { method: 'POST', contentType: TEXT, mode: 'no-cors', carries: 'fetchTextPlain', status: 403 },
  { method: 'POST', contentType: MULTIPART, mode: 'no-cors', carries: 'fetchMultipart', status: 403 },
  { method: 'GET', contentType: '', mode: 'cors', carries: 'read', status: 403 },
  // The JSON POST's preflight, then the JSON POST.
  { method: 'OPTIONS', contentType: '', mode: 'cors', carries: null, status: 204 },
  { method: 'POST', contentType: 'application/json', mode: 'cors', carries: 'read', status: null },
  { method: 'POST', contentType: TEXT, mode: 'cors', carries: 'read', status: 403 },
];

/** What a recorder that executes nothing must receive, in order. */
function expectedArrivals(origin: string, mutations: Mutations) {
  return ATTACK_REQUESTS.map(({ method, contentType, mode, carries }) => ({
    method,
    contentType,
    mode,
    origin,
    document: carries === null ? null : carries === 'read' ? READ_QUERY : mutations[carries],
  }));
}

/** What pamgraph's HTTP server must have answered, in order. */
function expectedAnswers(origin: string, listed: boolean): AnsweredRequest[] {
  return ATTACK_REQUESTS.flatMap(({ method, contentType, mode, status }) => {
    if (status === null && !listed) return [];
    return [{ method, contentType, mode, origin, status: status ?? 200 }];
  });
}

async function expectAccountsExist(s: Stack, ids: number[]) {
  for (const id of ids) {
    const account = await upstreamGet<{ id: number }>(
      s.sims.pam.url,
      `/api/system/accounts/${id}`,
      superadmin(s),
    );
    expect(account.id).toBe(id);
  }
}

beforeAll(async () => {
  // The attacker's site first: the allowed-origin gateway must know its port.
  [site, standIn, browser] = await Promise.all([startAttackerSite(), startStandIn(), launchChromium()]);
  siteOrigin = site.url;
  [stack, allowedStack] = await Promise.all([
    startStack(),
    startStack({ settings: { corsOrigins: [siteOrigin] } }),
  ]);
  [gateway, allowedGateway] = await Promise.all([
    listenGateway(stack.gateway.yoga),
    listenGateway(allowedStack.gateway.yoga),
  ]);
  accountIds = (await upstreamAccounts(stack)).map((a) => a.id);
  expect(accountIds.length).toBeGreaterThanOrEqual(20);
}, TEST_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await Promise.all([
    site?.stop(),
    standIn?.stop(),
    gateway?.stop(),
    allowedGateway?.stop(),
    stack?.stop(),
    allowedStack?.stop(),
  ]);
});

describe.each(['cross-origin page', 'sandboxed iframe'] as const)('an attacker in a %s', (where) => {
  it('positive control: every forged request reaches a permissive stand-in, which the page can read', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const mutations = mutationsFor(idsFor(where));
    standIn.reset();
    const findings = await attackFrom(where, `${standIn.url}/graphql`, mutations);

    expect(findings.origin).toBe(originOf(where));
    expectAllWritesAnswered(findings);
    const arrived = standIn.requests.map((r) => {
      const contentType = (r.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
      return {
        method: r.method,
        contentType,
        mode: r.headers['sec-fetch-mode'],
        origin: r.headers.origin,
        document: documentIn(r.method, contentType, r.path, r.body),
      };
    });
    expect(arrived).toEqual(expectedArrivals(originOf(where), mutations));
    const preflight = standIn.requests.find((r) => r.method === 'OPTIONS');
    expect(preflight?.headers['access-control-request-headers']).toBe('content-type');
    for (const read of Object.values(findings.reads)) {
      expect(read).toMatchObject({ read: true, status: 200, names: STAND_IN_NAMES });
    }
    expect(findings.reads.jsonPost.requestId).toBe('stand-in-request');
  });

  it('against pamgraph: each forged request is refused with 403, nothing reaches the upstream, nothing is read', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const ids = idsFor(where);
    const mutations = mutationsFor(ids);
    stack.resetRecords();
    gateway.answered.length = 0;
    const findings = await attackFrom(where, gateway.url, mutations);

    expect(findings.origin).toBe(originOf(where));
    // Every form and fetch got its answer before the checks below: nothing is still in flight.
    expectAllWritesAnswered(findings);
    expect(gateway.answered).toEqual(expectedAnswers(originOf(where), false));
    expect(stack.sims.pam.requests.list()).toEqual([]);
    expect(stack.sims.audit.requests.list()).toEqual([]);
    await expectAccountsExist(stack, ids);
    for (const read of Object.values(findings.reads)) {
      expect(read).toEqual({ read: false, error: expect.stringMatching(/^TypeError/) });
    }
  });
});

describe('an origin listed in corsOrigins', () => {
  it('reads data and x-request-id with a JSON POST; its forged writes are still refused', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const upstream = await upstreamAccounts(allowedStack);
    const ids = upstream.slice(0, WRITE_VECTORS.length).map((a) => a.id);
    const mutations = mutationsFor(ids);
    allowedStack.resetRecords();
    allowedGateway.answered.length = 0;
    const findings = await attackFrom('cross-origin page', allowedGateway.url, mutations);

    expect(findings.origin).toBe(siteOrigin);
    expect(findings.reads.jsonPost).toMatchObject({
      read: true,
      status: 200,
      names: upstream.slice(0, 3).map((a) => a.name),
      requestId: expect.stringMatching(/\S/),
    });
    // Readable now (the origin is listed), and refused all the same: no preflight header.
    for (const read of [findings.reads.get, findings.reads.textPost]) {
      expect(read).toMatchObject({ read: true, status: 403, names: null });
      expect(JSON.parse(read.text ?? '{}').errors?.[0]?.extensions?.code).toBe('CSRF_PREVENTED');
    }
    expectAllWritesAnswered(findings);
    expect(allowedGateway.answered).toEqual(expectedAnswers(siteOrigin, true));
    const pamCalls = allowedStack.sims.pam.requests.list();
    expect(pamCalls.length).toBeGreaterThan(0); // the JSON POST's read
    expect(pamCalls.filter((r) => r.method !== 'GET')).toEqual([]);
    await expectAccountsExist(allowedStack, ids);
  });

  it('a sandboxed iframe on that origin (origin null) reads nothing and writes nothing', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const upstream = await upstreamAccounts(allowedStack);
    const ids = upstream.slice(6, 12).map((a) => a.id);
    const mutations = mutationsFor(ids);
    allowedStack.resetRecords();
    allowedGateway.answered.length = 0;
    const findings = await attackFrom('sandboxed iframe', allowedGateway.url, mutations);

    expect(findings.origin).toBe('null');
    expectAllWritesAnswered(findings);
    expect(allowedGateway.answered).toEqual(expectedAnswers('null', false));
    expect(allowedStack.sims.pam.requests.list()).toEqual([]);
    await expectAccountsExist(allowedStack, ids);
    for (const read of Object.values(findings.reads)) {
      expect(read).toEqual({ read: false, error: expect.stringMatching(/^TypeError/) });
    }
  });
});

it('the forged mutation is real: sent as JSON by a non-browser client, it deletes its account', async () => {
  const id = accountIds[20] ?? Number.NaN;
  stack.resetRecords();
  const res = await stack.query<{ deleteAccount: { __typename: string } }>(deleteMutation(id));

  expect(res.data?.deleteAccount.__typename).toBe('DeleteAccountPayload');
  expect(
    stack.sims.pam.requests
      .list()
      .filter((r) => r.method === 'DELETE')
      .map((r) => r.path),
  ).toEqual([`/api/system/accounts/${id}`]);
  await expect(
    upstreamGet(stack.sims.pam.url, `/api/system/accounts/${id}`, superadmin(stack)),
  ).rejects.toThrow(/HTTP 404/);
});
