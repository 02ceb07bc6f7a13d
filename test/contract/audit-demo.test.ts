/**
 * The Audit simulator's demo data (brief + docs/upstreams.md §3), read through the list call over real HTTP,
 * with an independent matcher of entries to PAM targets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditState } from '../../src/simulator/audit/index.js';
import type { DemoTarget } from '../../src/simulator/demo-types.js';
import { DEMO_CREDENTIALS, type RunningSim, startAuditSimulator } from '../../src/simulator/index.js';
import { callSimulator } from '../support/seed.js';

const BASE = '/ux/nccm/jobs-account-audit/';
const { primaryKey, secondaryKey, primaryOrganization, secondaryOrganization } = DEMO_CREDENTIALS.audit;
const ANCHOR = Date.parse('2026-11-01T00:00:00.000Z');
const DAY = 86_400_000;
const SERVER_PROTOCOLS = [
  'http',
  'modbus',
  'mysql',
  'rdp',
  'ssh',
  'system',
  'tcp',
  'tds',
  'telnet',
  'tn3270',
];

const TARGETS: DemoTarget[] = [
  { address: '10.10.0.11', mask: null, protocol: 'ssh', login: 'root', domain: null },
  { address: '10.10.0.12', mask: null, protocol: 'telnet', login: 'cisco', domain: null },
  { address: '10.20.0.0', mask: 24, protocol: 'ssh', login: 'netops', domain: null },
  { address: '10.30.0.5', mask: null, protocol: 'rdp', login: 'jdoe', domain: 'Corp' },
  { address: '10.30.0.6', mask: null, protocol: 'ssh', login: 'asmith', domain: 'corp.example.com' },
  { address: '2001:db8:10::', mask: 64, protocol: 'ssh', login: 'v6ops', domain: null },
];

type Entry = Record<string, string> & { id: string; creationtime: string; last_update_time: string };

/** IPv4 or IPv6 text to [bits, value]; enough for the test targets. */
function ipValue(text: string): [number, bigint] | null {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(text)) {
    return [32, text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n)];
  }
  if (!text.includes(':')) return null;
  const [head = '', tail = ''] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = text.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return [128, groups.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g, 16)), 0n)];
}

function inSubnet(address: string, network: string, mask: number): boolean {
  const a = ipValue(address);
  const n = ipValue(network);
  if (a === null || n === null || a[0] !== n[0]) return false;
  const shift = BigInt(n[0] - mask);
  return a[1] >> shift === n[1] >> shift;
}

/** The (login, domain) readings of a device_account: plain, `DOMAIN\login`, `login@domain`. */
function accountReadings(account: string): Array<[string, string | null]> {
  const readings: Array<[string, string | null]> = [[account, null]];
  const slash = account.indexOf('\\');
  if (slash > 0) readings.push([account.slice(slash + 1), account.slice(0, slash)]);
  const at = account.lastIndexOf('@');
  if (at > 0) readings.push([account.slice(0, at), account.slice(at + 1)]);
  return readings;
}

/** docs/upstreams.md §3: server by address (or subnet) and protocol when named; account by login and domain. */
function matches(entry: Entry, target: DemoTarget): boolean {
  const ip = entry.ipaddress ?? '';
  const serverOk = target.mask === null ? ip === target.address : inSubnet(ip, target.address, target.mask);
  const protocol = (entry.connection_protocol ?? '').toLowerCase();
  const protocolOk = !SERVER_PROTOCOLS.includes(protocol) || protocol === target.protocol;
  const accountOk = accountReadings(entry.device_account ?? '').some(
    ([login, domain]) =>
      login === target.login &&
      (domain === null || domain.toLowerCase() === (target.domain ?? '').toLowerCase()),
  );
  return serverOk && protocolOk && accountOk;
}

async function listAll(url: string, key: string): Promise<Entry[]> {
  const out: Entry[] = [];
  for (let page = 1; ; page++) {
    const reply = await callSimulator<Entry[]>(url, 'GET', `${BASE}?items_per_page=500&page=${page}`, {
      auth: key,
    });
    expect(reply.status).toBe(200);
    const items = reply.body;
    if (items.length === 0) return out;
    out.push(...items);
  }
}

let sim: RunningSim;
let primary: Entry[];
let secondary: Entry[];

beforeAll(async () => {
  sim = await startAuditSimulator({ seed: 7, sizes: { auditEntries: 2000 } }, TARGETS);
  primary = await listAll(sim.url, primaryKey);
  secondary = await listAll(sim.url, secondaryKey);
});

afterAll(async () => {
  await sim.stop();
});

const share = (entries: Entry[], test: (e: Entry) => boolean) => entries.filter(test).length / entries.length;

describe('§2 demo data', () => {
  it('§2.1 splits the entries 75 % / 25 % between the two organisations, each seeing only its own', () => {
    expect(primary).toHaveLength(1500);
    expect(secondary).toHaveLength(500);
    expect(new Set(primary.map((e) => e.organization))).toEqual(new Set([primaryOrganization]));
    expect(new Set(secondary.map((e) => e.organization))).toEqual(new Set([secondaryOrganization]));
    const ids = [...primary, ...secondary].map((e) => e.id);
    expect(new Set(ids).size).toBe(2000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{24}$/);
  });

  it('§2.1 spreads creation times over about nine months before the fixed anchor', () => {
    const all = [...primary, ...secondary];
    const times = all.map((e) => Date.parse(e.creationtime));
    expect(Math.max(...times)).toBeLessThan(ANCHOR);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(ANCHOR - 270 * DAY);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(260 * DAY);
    expect(new Set(all.map((e) => e.creationtime.slice(0, 7))).size).toBeGreaterThanOrEqual(9);
    for (const e of all) {
      expect(e.creationtime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(e.last_update_time >= e.creationtime).toBe(true);
    }
  });

  it('§3 about 85 % of the entries match a target; the rest match none', () => {
    const matched = share([...primary, ...secondary], (e) => TARGETS.some((t) => matches(e, t)));
    expect(matched).toBeGreaterThan(0.82);
    expect(matched).toBeLessThan(0.88);
  });

  it('§3 logins appear plain, as DOMAIN\\login and as login@domain, with the domain case varied', () => {
    const accounts = new Set(primary.map((e) => e.device_account ?? ''));
    expect(accounts.has('jdoe')).toBe(true);
    expect(accounts.has('CORP\\jdoe')).toBe(true);
    expect(accounts.has('corp\\jdoe')).toBe(true);
    expect(accounts.has('asmith@CORP.EXAMPLE.COM')).toBe(true);
    expect(accounts.has('asmith@corp.example.com')).toBe(true);
    // Accounts without a domain are never qualified.
    expect([...accounts].filter((a) => /[\\@]root$|^root@/.test(a))).toEqual([]);
  });

  it('§3 subnet targets are matched by addresses inside the subnet, IPv4 and IPv6', () => {
    const v4 = primary.filter(
      (e) => e.device_account === 'netops' && inSubnet(e.ipaddress ?? '', '10.20.0.0', 24),
    );
    expect(new Set(v4.map((e) => e.ipaddress)).size).toBeGreaterThan(10);
    expect(v4.every((e) => e.ipaddress !== '10.20.0.0' && e.ipaddress !== '10.20.0.255')).toBe(true);
    const v6 = primary.filter(
      (e) => e.device_account === 'v6ops' && inSubnet(e.ipaddress ?? '', '2001:db8:10::', 64),
    );
    expect(new Set(v6.map((e) => e.ipaddress)).size).toBeGreaterThan(10);
  });

  it('§3 connection_protocol is the target protocol, sometimes upper-case, sometimes empty', () => {
    const ssh = primary.filter((e) => e.ipaddress === '10.10.0.11' && e.device_account === 'root');
    const forms = new Set(ssh.map((e) => e.connection_protocol));
    expect(forms).toEqual(new Set(['ssh', 'SSH', '']));
  });

  it('§2.3 non-matching entries use documentation addresses or logins no target has', () => {
    const logins = new Set(TARGETS.map((t) => t.login));
    const stray = primary.filter((e) => !TARGETS.some((t) => matches(e, t)));
    for (const e of stray) {
      const docAddress = /^(192\.0\.2|198\.51\.100)\.\d+$/.test(e.ipaddress ?? '');
      expect(docAddress || !logins.has(e.device_account ?? '')).toBe(true);
    }
  });

  it('§2.3 connection_status is success (~85 %) or failed with a failure_message and an error', () => {
    const all = [...primary, ...secondary];
    expect(new Set(all.map((e) => e.connection_status))).toEqual(new Set(['success', 'failed']));
    const success = share(all, (e) => e.connection_status === 'success');
    expect(success).toBeGreaterThan(0.82);
    expect(success).toBeLessThan(0.88);
    for (const e of all) {
      const failed = e.connection_status === 'failed';
      expect(e.failure_message !== '' && e.error !== '').toBe(failed);
    }
  });

  it('§2.3 every descriptive field is filled, passwords on most entries, enable passwords on telnet ones', () => {
    const all = [...primary, ...secondary];
    const filled = ['agent_id', 'job_id', 'ci_id', 'job_iteration_id', 'task_owner', 'client_ip', 'job_type'];
    for (const field of [...filled, 'job_name', 'process_name', 'connection_for', 'uofw']) {
      expect(
        all.every((e) => (e[field] ?? '') !== ''),
        field,
      ).toBe(true);
    }
    expect(new Set(all.map((e) => e.config_type))).toEqual(new Set(['running', 'startup', '']));
    expect(share(all, (e) => e.dpassword !== '')).toBeGreaterThan(0.85);
    const telnet = all.filter((e) => e.ipaddress === '10.10.0.12' && e.device_account === 'cisco');
    expect(telnet.length).toBeGreaterThan(100);
    expect(telnet.every((e) => e.denable_password !== '')).toBe(true);
  });

  it('§2.2 sorting the demo data by a field with many ties orders ties by id, in both directions', async () => {
    const key = (e: Entry) => `${e.connection_status}\u0000${e.id}`;
    const byStatus = [...primary].sort((a, b) => (key(a) < key(b) ? -1 : 1)).map((e) => e.id);
    const list = async (reverse: string) => {
      const path = `${BASE}?items_per_page=500&page=1&sort=connection_status&reverse=${reverse}`;
      const reply = await callSimulator<Entry[]>(sim.url, 'GET', path, { auth: primaryKey });
      return reply.body.map((e) => e.id);
    };
    expect(await list('false')).toEqual(byStatus.slice(0, 500));
    expect(await list('true')).toEqual([...byStatus].reverse().slice(0, 500));
  });

  it('§2.2 the default order of the demo data is creationtime ascending', () => {
    const times = primary.map((e) => e.creationtime);
    expect(times).toEqual([...times].sort());
  });

  it('§2 the same seed gives the same data; another seed different data', () => {
    const sorted = (seed: number) =>
      createAuditState({ seed, sizes: { auditEntries: 300 }, targets: TARGETS })
        .store.all()
        .sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(sorted(7)).toEqual(sorted(7));
    expect(sorted(8)[0]).not.toEqual(sorted(7)[0]);
    const big = createAuditState({ seed: 7, sizes: { auditEntries: 2000 }, targets: TARGETS }).store.all();
    expect(big.map((e) => e.id).sort()).toEqual([...primary, ...secondary].map((e) => e.id).sort());
  });

  it('§3 with no targets every entry is of the non-matching kind', () => {
    const entries = createAuditState({ sizes: { auditEntries: 500 }, targets: [] }).store.all();
    expect(entries).toHaveLength(500);
    for (const e of entries) expect(e.ipaddress).toMatch(/^(192\.0\.2|198\.51\.100)\.\d+$/);
  });

  it('§2 sizes are honoured, and empty: true gives no entries while the keys still work', async () => {
    const half = createAuditState({
      sizes: { auditEntries: 10, primaryOrganizationShare: 0.5 },
      targets: TARGETS,
    });
    expect(half.store.all().filter((e) => e.organization === primaryOrganization)).toHaveLength(5);
    const empty = await startAuditSimulator({ empty: true }, TARGETS);
    try {
      expect(await listAll(empty.url, primaryKey)).toEqual([]);
      expect(await listAll(empty.url, secondaryKey)).toEqual([]);
    } finally {
      await empty.stop();
    }
  });

  it('§2 the default data set (20,000 entries) is generated without pathological slowness (guard, < 5 s)', () => {
    const many: DemoTarget[] = Array.from({ length: 2000 }, (_, i) => ({
      address: `10.${i % 250}.${Math.floor(i / 250)}.1`,
      mask: i % 25 === 0 ? 28 : null,
      protocol: i % 3 === 0 ? 'telnet' : 'ssh',
      login: `user${i}`,
      domain: i % 5 === 0 ? 'CORP' : null,
    }));
    const started = performance.now();
    const state = createAuditState({ targets: many });
    // A guard against pathological slowness, not a benchmark: idle it takes well under 0.3 s.
    expect(performance.now() - started).toBeLessThan(5000);
    expect(state.store.size).toBe(20_000);
    expect(state.store.all().filter((e) => e.organization === primaryOrganization)).toHaveLength(15_000);
  });
});
