/**
 * The demo audit entries, deterministic from the seed. About 85 % of them match one of the given PAM
 * targets by docs/upstreams.md §3 (same address or an address inside the subnet, the account's login, sometimes
 * as `DOMAIN\login` or `login@domain`), so that the gateway's joins have something to find; the rest
 * match nothing. Times are spread over about nine months before a fixed anchor, so every run of the same
 * seed yields byte-identical data.
 */
import { DEMO_CREDENTIALS } from '../credentials.js';
import type { DemoTarget } from '../demo-types.js';
import type { Random } from '../random.js';
import {
  FAILURES,
  JOB_KINDS,
  type JobKind,
  SITES,
  STRAY_LOGINS,
  STRAY_NETWORKS,
  STRAY_PROTOCOLS,
  TASK_OWNERS,
} from './demo-values.js';
import { type AuditEntry, blankEntry } from './fields.js';
import { randomAddressIn, subnetsTest } from './ip.js';

/** Every demo creation time lies before this instant. */
export const DEMO_ANCHOR = '2026-11-01T00:00:00.000Z';
/** … and no earlier than this many days before it (about nine months). */
export const DEMO_SPAN_DAYS = 270;
/** Share of entries that match a target (when there are targets). */
export const MATCHING_SHARE = 0.85;
/** Share of entries with `connection_status` `success`; the rest are `failed`. */
export const SUCCESS_SHARE = 0.85;

const DAY_MS = 86_400_000;
const MAX_JOB_DURATION_MS = 15 * 60_000;

interface Job {
  jobId: string;
  kind: JobKind;
  jobName: string;
  owner: string;
  clientIp: string;
  /** Runs of the job; one run connects to many devices, so entries share these. */
  iterations: string[];
}

interface OrgContext {
  organization: string;
  jobs: Job[];
  agents: string[];
}

/** What a device connection used; fixed per target so that repeated audits of a device agree. */
interface DeviceSecrets {
  ciId: string;
  password: string;
  enablePassword: string;
}

type Identity = Pick<
  AuditEntry,
  'ipaddress' | 'device_account' | 'connection_protocol' | 'dpassword' | 'denable_password' | 'ci_id'
>;

interface Generator {
  rng: Random;
  targets: readonly DemoTarget[];
  secrets: Map<DemoTarget, DeviceSecrets>;
  strayLogins: string[];
  /** Whether some target's server has this address (exactly or inside its subnet). */
  covers: (address: string) => boolean;
  usedIds: Set<string>;
}

function password(rng: Random, length: number): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#%*+-';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[rng.int(0, alphabet.length - 1)];
  return out;
}

function makeOrgContext(rng: Random, organization: string): OrgContext {
  const jobs: Job[] = [];
  for (let i = 0; i < 40; i++) {
    const kind = rng.pick(JOB_KINDS);
    jobs.push({
      jobId: rng.objectId(),
      kind,
      jobName: `${kind.jobType} - ${rng.pick(SITES)}`,
      owner: rng.pick(TASK_OWNERS),
      clientIp: `10.${rng.int(100, 120)}.${rng.int(0, 255)}.${rng.int(1, 254)}`,
      iterations: Array.from({ length: 25 }, () => rng.objectId()),
    });
  }
  const agents = Array.from({ length: 4 }, () => rng.objectId());
  return { organization, jobs, agents };
}

/** Logins that no target has, so an entry using one cannot match any account. */
function strayLogins(targets: readonly DemoTarget[]): string[] {
  const taken = new Set(targets.map((t) => t.login));
  const free = STRAY_LOGINS.filter((login) => !taken.has(login));
  let n = 0;
  while (free.length === 0) {
    const candidate = `stray-audit-user-${n++}`;
    if (!taken.has(candidate)) free.push(candidate);
  }
  return free;
}

function secretsOf(g: Generator, target: DemoTarget): DeviceSecrets {
  let secrets = g.secrets.get(target);
  if (secrets === undefined) {
    // Telnet devices are the Cisco-like ones with an enable password; some SSH devices are too.
    const ciscoLike = target.protocol === 'telnet' || (target.protocol === 'ssh' && g.rng.chance(0.3));
    secrets = {
      ciId: g.rng.objectId(),
      password: password(g.rng, 14),
      enablePassword: ciscoLike ? password(g.rng, 10) : '',
    };
    g.secrets.set(target, secrets);
  }
  return secrets;
}

function caseVariant(rng: Random, text: string): string {
  const r = rng.next();
  if (r < 0.4) return text.toUpperCase();
  if (r < 0.7) return text.toLowerCase();
  return text;
}

/** The login as an audit records it: plain, or qualified by the account's domain in either form. */
function accountForm(rng: Random, target: DemoTarget): string {
  if (target.domain === null || target.domain === '') return target.login;
  const r = rng.next();
  if (r < 0.3) return `${caseVariant(rng, target.domain)}\\${target.login}`;
  if (r < 0.55) return `${target.login}@${caseVariant(rng, target.domain)}`;
  return target.login;
}

function protocolForm(rng: Random, protocol: string): string {
  const r = rng.next();
  if (r < 0.2) return protocol.toUpperCase();
  if (r < 0.35) return '';
  return protocol;
}

function addressOf(rng: Random, target: DemoTarget): string {
  return target.mask === null ? target.address : randomAddressIn(rng, target.address, target.mask);
}

function matchingIdentity(g: Generator, target: DemoTarget): Identity {
  const secrets = secretsOf(g, target);
  return {
    ipaddress: addressOf(g.rng, target),
    device_account: accountForm(g.rng, target),
    connection_protocol: protocolForm(g.rng, target.protocol),
    dpassword: g.rng.chance(0.95) ? secrets.password : '',
    denable_password: secrets.enablePassword,
    ci_id: secrets.ciId,
  };
}

function strayAddress(rng: Random): string {
  return `${rng.pick(STRAY_NETWORKS)}.${rng.int(1, 254)}`;
}

/**
 * An entry that matches no target: either an address no target covers (with any login, even a real one),
 * or a login no target has (on any address, even a real server's).
 */
function strayIdentity(g: Generator): Identity {
  const { rng, targets } = g;
  const address = strayAddress(rng);
  const addressIsFree = !g.covers(address);
  const useRealLogin = targets.length > 0 && addressIsFree && rng.chance(0.5);
  const useRealAddress = targets.length > 0 && !useRealLogin && rng.chance(0.5);
  const protocol = rng.pick(STRAY_PROTOCOLS);
  return {
    ipaddress: useRealAddress ? addressOf(rng, rng.pick(targets)) : address,
    device_account: useRealLogin ? rng.pick(targets).login : rng.pick(g.strayLogins),
    connection_protocol: protocol,
    dpassword: rng.chance(0.9) ? password(rng, 12) : '',
    denable_password: protocol === 'telnet' ? password(rng, 10) : '',
    ci_id: rng.objectId(),
  };
}

/** Precomputed so that checking a stray address costs a set lookup plus the (few) subnet targets. */
function coverage(targets: readonly DemoTarget[]): (address: string) => boolean {
  const hosts = new Set(targets.filter((t) => t.mask === null).map((t) => t.address));
  const inSubnet = subnetsTest(
    targets.flatMap((t) => (t.mask === null ? [] : [{ address: t.address, mask: t.mask }])),
  );
  return (address) => hosts.has(address) || inSubnet(address);
}

function uniqueId(g: Generator): string {
  let id = g.rng.objectId();
  while (g.usedIds.has(id)) id = g.rng.objectId();
  g.usedIds.add(id);
  return id;
}

function applyOutcome(rng: Random, entry: AuditEntry): void {
  if (rng.chance(SUCCESS_SHARE)) {
    entry.connection_status = 'success';
    return;
  }
  const failure = rng.pick(FAILURES);
  entry.connection_status = 'failed';
  entry.failure_message = failure.failureMessage;
  entry.error = failure.error(entry.ipaddress, entry.connection_protocol.toLowerCase());
}

function applyTimes(rng: Random, entry: AuditEntry, anchor: number): void {
  const created = anchor - rng.int(1, DEMO_SPAN_DAYS * DAY_MS);
  entry.creationtime = new Date(created).toISOString();
  entry.last_update_time = new Date(created + rng.int(0, MAX_JOB_DURATION_MS)).toISOString();
}

function makeEntry(g: Generator, org: OrgContext, anchor: number): AuditEntry {
  const { rng } = g;
  const entry = blankEntry();
  entry.id = uniqueId(g);
  entry.organization = org.organization;
  applyTimes(rng, entry, anchor);
  const matching = g.targets.length > 0 && rng.chance(MATCHING_SHARE);
  applyIdentity(entry, matching ? matchingIdentity(g, rng.pick(g.targets)) : strayIdentity(g));
  applyJob(rng, entry, org);
  applyOutcome(rng, entry);
  return entry;
}

/** Field by field rather than Object.assign, which is markedly slower over 20,000 entries. */
function applyIdentity(entry: AuditEntry, identity: Identity): void {
  entry.ipaddress = identity.ipaddress;
  entry.device_account = identity.device_account;
  entry.connection_protocol = identity.connection_protocol;
  entry.dpassword = identity.dpassword;
  entry.denable_password = identity.denable_password;
  entry.ci_id = identity.ci_id;
}

function applyJob(rng: Random, entry: AuditEntry, org: OrgContext): void {
  const job = rng.pick(org.jobs);
  entry.agent_id = rng.pick(org.agents);
  entry.job_id = job.jobId;
  entry.job_iteration_id = rng.pick(job.iterations);
  entry.task_owner = job.owner;
  entry.client_ip = job.clientIp;
  entry.job_type = job.kind.jobType;
  entry.job_name = job.jobName;
  entry.process_name = job.kind.processName;
  entry.connection_for = job.kind.connectionFor;
  entry.config_type = job.kind.readsConfig ? (rng.chance(0.7) ? 'running' : 'startup') : '';
  entry.uofw = `UOW-${rng.int(100_000, 999_999)}`;
}

/**
 * `count` entries, the first `round(count × primaryShare)` in the primary organisation and the rest in the
 * secondary one (creation times are random, so no order shows through the API).
 */
export function generateDemoEntries(
  rng: Random,
  count: number,
  primaryShare: number,
  targets: readonly DemoTarget[],
): AuditEntry[] {
  const { primaryOrganization, secondaryOrganization } = DEMO_CREDENTIALS.audit;
  const g: Generator = {
    rng,
    targets,
    secrets: new Map(),
    strayLogins: strayLogins(targets),
    covers: coverage(targets),
    usedIds: new Set(),
  };
  const primary = makeOrgContext(rng, primaryOrganization);
  const secondary = makeOrgContext(rng, secondaryOrganization);
  const primaryCount = Math.round(count * Math.min(1, Math.max(0, primaryShare)));
  const anchor = Date.parse(DEMO_ANCHOR);
  const entries: AuditEntry[] = [];
  for (let i = 0; i < count; i++) entries.push(makeEntry(g, i < primaryCount ? primary : secondary, anchor));
  return entries;
}
