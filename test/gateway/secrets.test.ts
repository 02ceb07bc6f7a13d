/**
 * Secrets never leave the gateway: a canary is planted in every write-only or sensitive field the simulators
 * hold (account secrets and private keys, password-changer passwords, user passwords, audit `dpassword` and
 * `denable_password`), then a generic walk selects every field of every type reachable from Query, as
 * superadmin, as operator, with wrong credentials and with ids that do not exist, and no response body and
 * no log line may contain any canary.
 */
import { randomBytes } from 'node:crypto';
import { extendSchema, getNamedType, isInterfaceType, isNonNullType, parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.js';
import { callSimulator, SimulatorWriter } from '../support/seed.js';
import { type GraphQLResponse, type Stack, startStack, upstreamGet } from '../support/stack.js';
import {
  collectIds,
  type IdSupply,
  measure,
  reachableCoordinates,
  selectedCoordinates,
  type WalkOperation,
  walkOperations,
} from '../support/walk.js';

const SETTINGS = {
  maxDepth: 100,
  maxAliases: 100,
  maxTokens: 1_000_000,
  maxComplexity: 10_000_000,
  maxFields: 1_000_000,
};

const nodeInterface = schema.getType('Node');
/** Every type implementing Node. */
const NODE_TYPES = isInterfaceType(nodeInterface)
  ? schema.getPossibleTypes(nodeInterface).map((t) => t.name)
  : [];
/** Root fields with a required ID argument: the ones a missing id can be passed to. */
const ID_ROOT_FIELDS = new Set(
  Object.values(schema.getQueryType()?.getFields() ?? {})
    .filter((f) => f.args.some((a) => isNonNullType(a.type) && getNamedType(a.type).name === 'ID'))
    .map((f) => f.name),
);

/** Planted in readable fields next to the secrets: the search must find these, proving it can find a canary. */
const MARKER = `MARKER-${randomBytes(6).toString('hex')}`;

/** Every canary planted, by the field it went into. */
const canaries = new Map<string, string>();
function canary(kind: string): string {
  const value = `CANARY-${kind}-${randomBytes(6).toString('hex')}`;
  canaries.set(`${kind}#${canaries.size}`, value);
  return value;
}

interface Planted {
  accounts: Record<string, number>;
  users: Record<string, { id: number; name: string; password: string }>;
  audit: Array<{ id: string; dpassword: string; enable: string; key: string }>;
  operatorId: number;
}

async function plant(stack: Stack): Promise<Planted> {
  const { pam, audit } = stack.sims.credentials;
  const w = new SimulatorWriter(
    stack.sims.pam.url,
    pam.superadminToken,
    stack.sims.audit.url,
    audit.primaryKey,
  );
  const host = await w.server('canary-host', '10.20.30.40', 'ssh', 22);
  const subnet = await w.server('canary-subnet', '10.99.0.0', 'telnet', 23, 16);
  const listener = await w.pam('POST', '/api/system/listeners', {
    name: 'canary-listener',
    protocol: 'ssh',
    mode: 'bastion',
    listen_port: 2222,
  });
  const telnetListener = await w.pam('POST', '/api/system/listeners', {
    name: 'canary-telnet',
    protocol: 'telnet',
    mode: 'gateway',
  });
  const safe = await w.pam('POST', '/api/system/safes', { name: 'canary-safe' });

  const users: Planted['users'] = {};
  for (const [name, role] of [
    ['canary-operator', 'operator'],
    ['canary-admin', 'admin'],
  ] as const) {
    const password = canary('userpw');
    const user = await w.pam('POST', '/api/system/users', {
      name,
      role,
      full_name: `${MARKER} ${name}`,
      email: `${name}@example.test`,
      password,
    });
    users[name] = { id: user.id, name, password };
  }

  const cisco = (id: number, position: number, type: 'change' | 'verify') => ({
    id,
    position,
    timeout: 30,
    password_changer_type: type,
    privileged_username: `enable-${id}`,
    privileged_mode_password: canary('pmp'),
    privileged_password: canary('privpw'),
  });
  const sshChanger = {
    id: 4,
    position: 0,
    timeout: 60,
    ssh_username: 'changer',
    ssh_password: canary('sshpw'),
    ssh_host: '10.20.30.40',
    ssh_port: '22',
    privileged_username: 'mysql-admin',
    privileged_password: canary('privpw'),
  };
  const bodies: Record<string, Record<string, unknown>> = {
    password: {
      type: 'regular',
      server_id: host.id,
      credentials: {
        login: 'root',
        method: 'password',
        secret: canary('secret'),
        password_change_policy_id: 1,
      },
      accountpasswordchanger_set: [sshChanger],
      ocr_enabled: true,
      ocr_lang: 'eng',
      retention: 30,
      password_checkout_time_limit: '36:00:00',
    },
    sshkey: {
      type: 'regular',
      server_id: host.id,
      credentials: {
        login: 'deploy',
        method: 'ssh-key',
        private_key: canary('privkey'),
        secret: canary('secret'),
        password_change_policy_id: 1,
      },
      accountpasswordchanger_set: [cisco(5, 0, 'change'), cisco(6, 1, 'verify')],
    },
    forward: {
      type: 'forward',
      server_id: subnet.id,
      credentials: { login: 'fwd', secret: canary('secret') },
      accountpasswordchanger_set: [cisco(7, 0, 'change'), cisco(8, 1, 'change')],
    },
    cisco: {
      type: 'regular',
      server_id: subnet.id,
      password_recovery: true,
      credentials: {
        login: 'cisco',
        domain: 'CORP',
        method: 'password',
        secret: canary('secret'),
        password_change_policy_id: 1,
      },
      accountpasswordchanger_set: [
        cisco(5, 0, 'change'),
        cisco(6, 1, 'change'),
        cisco(7, 2, 'verify'),
        cisco(8, 3, 'verify'),
      ],
    },
    viaAccount: {
      type: 'regular',
      server_id: host.id,
      credentials: {
        login: 'jump',
        method: 'account',
        secret: canary('secret'),
        password_change_policy_id: 1,
      },
    },
    anonymous: { type: 'anonymous', server_id: subnet.id },
  };
  const accounts: Record<string, number> = {};
  for (const [name, body] of Object.entries(bodies)) {
    accounts[name] = (await w.pam('POST', '/api/system/accounts', { name: `canary-${name}`, ...body })).id;
  }
  // A password change: PATCH merges `credentials`, so only the new secret is sent.
  await w.pam('PATCH', `/api/system/accounts/${accounts.password}`, {
    credentials: { secret: canary('newsecret') },
  });

  const operator = (await w.pam<Array<{ id: number; name: string }>>('GET', '/api/system/users')).find(
    (u) => u.name === pam.operatorName,
  );
  if (!operator) throw new Error('demo operator missing');
  const grantees = [operator.id, ...Object.values(users).map((u) => u.id)];
  for (const accountId of Object.values(accounts)) {
    for (const userId of grantees) {
      if (userId === operator.id && accountId === accounts.viaAccount) continue;
      await w.pam('POST', `/api/system/accounts/${accountId}/granted_users`, { user_id: userId });
    }
    await w.pam('POST', `/api/system/safes/${safe.id}/accounts`, {
      account_id: accountId,
      listener_id: listener.id,
    });
    await w.pam('POST', `/api/system/safes/${safe.id}/accounts`, {
      account_id: accountId,
      listener_id: telnetListener.id,
    });
  }

  const entries: Planted['audit'] = [];
  const entry = async (
    fields: Record<string, string>,
    key: string = audit.primaryKey,
    org: string = audit.primaryOrganization,
  ) => {
    const dpassword = canary('dpw');
    const enable = canary('enable');
    const created = await w.audit(
      org,
      {
        job_id: 'job-1',
        ci_id: 'ci-1',
        job_iteration_id: 'it-1',
        error: MARKER,
        task_owner: 'owner',
        client_ip: '10.0.0.1',
        job_type: 'Config Backup',
        job_name: 'nightly',
        process_name: 'backup',
        connection_for: 'backup',
        config_type: 'running',
        uofw: 'u1',
        ...fields,
        dpassword,
        denable_password: enable,
      },
      key,
    );
    entries.push({ id: created.id, dpassword, enable, key });
  };
  await entry({ ipaddress: '10.20.30.40', device_account: 'root', connection_protocol: 'ssh' });
  await entry({ ipaddress: '10.20.30.40', device_account: 'deploy', connection_protocol: 'SSH' });
  await entry({ ipaddress: '10.20.30.40', device_account: 'jump' });
  await entry({ ipaddress: '10.99.4.5', device_account: 'CORP\\cisco', connection_protocol: 'telnet' });
  await entry({ ipaddress: '10.99.4.6', device_account: 'fwd@corp' });
  await entry({ ipaddress: '192.0.2.1', device_account: 'nobody' });
  await entry(
    { ipaddress: '10.20.30.40', device_account: 'root' },
    audit.secondaryKey,
    audit.secondaryOrganization,
  );

  return { accounts, users, audit: entries, operatorId: operator.id };
}

interface Run {
  label: string;
  operation: WalkOperation;
  response: GraphQLResponse<Record<string, unknown>>;
}

/** Every object (at any depth) the predicate accepts. */
function objects(
  value: unknown,
  accept: (o: Record<string, unknown>) => boolean,
): Array<Record<string, unknown>> {
  const found: Array<Record<string, unknown>> = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (typeof v === 'object' && v !== null) {
      const record = v as Record<string, unknown>;
      if (accept(record)) found.push(record);
      Object.values(record).forEach(visit);
    }
  };
  visit(value);
  return found;
}

function codes(response: GraphQLResponse<unknown>): string[] {
  return (response.errors ?? []).map((e) => String(e.extensions?.code ?? 'NONE'));
}

describe('no secret ever leaves the gateway', () => {
  let stack: Stack;
  let planted: Planted;
  const runs: Run[] = [];
  let operations: WalkOperation[] = [];

  async function walk(label: string, ops: WalkOperation[], headers: Record<string, string>): Promise<Run[]> {
    const done: Run[] = [];
    for (const operation of ops) {
      const response = await stack.query<Record<string, unknown>>(operation.document, undefined, headers);
      done.push({ label, operation, response });
    }
    runs.push(...done);
    return done;
  }

  beforeAll(async () => {
    stack = await startStack({ mode: 'forward', simulators: { empty: true }, settings: SETTINGS });
    planted = await plant(stack);
  });
  afterAll(() => stack.stop());

  it('the walk selects every field of every type reachable from Query, and picks up new fields', () => {
    const ops = walkOperations(schema, (type) => [`some-${type}`]);
    const reachable = reachableCoordinates(schema);
    const selected = selectedCoordinates(
      schema,
      ops.map((o) => o.document),
    );
    expect(reachable.size).toBeGreaterThan(100);
    expect([...reachable].filter((c) => !selected.has(c))).toEqual([]);
    expect([...selected].filter((c) => !reachable.has(c))).toEqual([]);
    for (const op of ops) expect(validate(schema, parse(op.document))).toEqual([]);
    // Every root field and every node type is exercised, node(id:) with an id of each type.
    expect(ops.filter((o) => o.rootField === 'node')).toHaveLength(NODE_TYPES.length);

    const extended = extendSchema(
      schema,
      parse(
        'extend type PasswordChanger { futureField: String } type Extra { deep: Int } extend type User { extra: Extra }',
      ),
    );
    const extendedSelected = selectedCoordinates(
      extended,
      walkOperations(extended, (type) => [`some-${type}`]).map((o) => o.document),
    );
    expect(extendedSelected).toContain('PasswordChanger.futureField');
    expect(extendedSelected).toContain('Extra.deep');
    expect(extendedSelected.size).toBe(reachableCoordinates(extended).size);
  });

  it('the canaries reached the simulators', async () => {
    const { pam, audit } = stack.sims;
    for (const user of Object.values(planted.users)) {
      const res = await callSimulator(pam.url, 'POST', '/api/system/login', {
        body: { username: user.name, password: user.password },
      });
      expect(res.status).toBe(200);
    }
    const stored = [...pam.state.accounts.rows.values()].flatMap((a) => [
      a.credentials?.secret,
      a.credentials?.privateKey,
      ...a.changers.flatMap((c) => [c.privilegedModePassword, c.privilegedPassword, c.sshPassword]),
    ]);
    const pamKinds = ['secret', 'newsecret', 'privkey', 'pmp', 'privpw', 'sshpw'];
    const replaced = [...canaries.entries()].find(([k]) => k.startsWith('secret#'));
    for (const [key, value] of canaries) {
      const kind = key.split('#')[0] ?? '';
      // The first planted secret was replaced by the PATCH: only its successor is stored.
      if (!pamKinds.includes(kind) || key === replaced?.[0]) continue;
      expect(stored, key).toContain(value);
    }
    for (const e of planted.audit) {
      const body = await upstreamGet<Record<string, string>>(
        audit.url,
        `/ux/nccm/jobs-account-audit/${e.id}/`,
        e.key,
      );
      expect(body.dpassword).toBe(e.dpassword);
      expect(body.denable_password).toBe(e.enable);
    }
  });

  it('walks every field as superadmin, operator, with a wrong token and with missing ids: no canary anywhere', async () => {
    const { pam, audit } = stack.sims.credentials;
    const admin = { 'x-pam-token': pam.superadminToken, 'x-audit-key': audit.primaryKey };
    const operator = { 'x-pam-token': pam.operatorToken, 'x-audit-key': audit.primaryKey };

    // First pass: root fields that need no id, to learn the global and native ids of every node type.
    const discovery = await walk(
      'discovery',
      walkOperations(schema, () => []),
      admin,
    );
    const known = collectIds(
      schema,
      discovery.map((r) => r.response.data),
    );
    const ids: IdSupply = (type) => {
      const entry = known.get(type);
      return entry ? [...entry.global, ...entry.native] : [];
    };
    operations = walkOperations(schema, ids);
    for (const type of NODE_TYPES) expect(known.get(type)?.global.size ?? 0, type).toBeGreaterThan(0);

    const asAdmin = await walk('superadmin', operations, admin);
    const asOperator = await walk('operator', operations, operator);
    const missing: IdSupply = (type) => {
      const sample = [...(known.get(type)?.global ?? [])][0];
      const decoded = sample ? Buffer.from(sample, 'base64url').toString('utf8') : '';
      const gone = decoded.replace(/:[^:]*$/, ':999999');
      const gone24 = decoded.replace(/:[^:]*$/, ':ffffffffffffffffffffffff');
      return [
        '999999',
        'ffffffffffffffffffffffff',
        Buffer.from(gone, 'utf8').toString('base64url'),
        Buffer.from(gone24, 'utf8').toString('base64url'),
      ];
    };
    const missingOps = walkOperations(schema, missing).filter((o) => ID_ROOT_FIELDS.has(o.rootField));
    await walk('missing-ids', missingOps, admin);
    await walk('wrong-token', operations, {
      'x-pam-token': 'wrong-pam-token',
      'x-audit-key': 'wrong-audit-key',
    });
    await walk('operator-no-audit-key', operations, { 'x-pam-token': pam.operatorToken });

    // Limits were raised enough: nothing rejected, everything valid and executed.
    for (const run of runs) {
      expect(run.response.status, `${run.label} ${run.operation.name}`).toBe(200);
      expect(codes(run.response), `${run.label} ${run.operation.rootField}`).not.toContain(
        'QUERY_TOO_COMPLEX',
      );
      expect(codes(run.response), `${run.label} ${run.response.text.slice(0, 300)}`).not.toContain(
        'GRAPHQL_VALIDATION_FAILED',
      );
    }
    const adminCodes = asAdmin.flatMap((r) => codes(r.response));
    expect(adminCodes.filter((c) => c === 'INTERNAL_SERVER_ERROR')).toEqual([]);

    // The walk is not vacuous.
    const adminData = asAdmin.map((r) => r.response.data);
    const logins = objects(adminData, (o) => o.__typename === 'AccountCredentials').map((o) => o.login);
    expect(new Set(logins)).toEqual(new Set(['root', 'deploy', 'fwd', 'cisco', 'jump']));
    expect(objects(adminData, (o) => o.hasDevicePassword === true).length).toBeGreaterThan(0);
    expect(objects(adminData, (o) => o.hasEnablePassword === true).length).toBeGreaterThan(0);
    const changerIds = objects(adminData, (o) => o.__typename === 'PasswordChanger').map((o) => o.changerId);
    expect(new Set(changerIds)).toEqual(new Set([4, 5, 6, 7, 8]));
    const entriesWithAccounts = objects(
      adminData,
      (o) => o.__typename === 'AuditEntry' && Array.isArray(o.accounts) && o.accounts.length > 0,
    );
    expect(entriesWithAccounts.length).toBeGreaterThan(0);
    const accountsWithEntries = objects(
      adminData,
      (o) =>
        o.__typename === 'Account' &&
        objects(o.auditEntries, (e) => e.__typename === 'AuditEntry').length > 0,
    );
    expect(accountsWithEntries.length).toBeGreaterThan(0);
    expect(objects(adminData, (o) => o.__typename === 'AccountSafe').length).toBeGreaterThan(0);
    expect(objects(adminData, (o) => o.__typename === 'SafeAccountEdge').length).toBeGreaterThan(0);
    const operatorAccounts = objects(
      asOperator.map((r) => r.response.data),
      (o) => o.__typename === 'Account',
    );
    expect(operatorAccounts.length).toBeGreaterThan(0);
    expect(operatorAccounts.map((o) => o.name)).not.toContain('canary-viaAccount');
    const wrong = runs.filter((r) => r.label === 'wrong-token').flatMap((r) => codes(r.response));
    expect(wrong).toContain('UNAUTHENTICATED');

    // No canary in any response text, nor in any log line.
    expect(canaries.size).toBeGreaterThanOrEqual(30);
    const leaks: string[] = [];
    for (const run of runs) {
      for (const [field, value] of canaries) {
        if (run.response.text.includes(value)) {
          leaks.push(`${field} in ${run.label} ${run.operation.rootField}: ${run.operation.document}`);
        }
      }
      if (run.response.text.includes('CANARY-'))
        leaks.push(`CANARY- in ${run.label} ${run.operation.rootField}`);
    }
    for (const [field, value] of canaries)
      if (stack.logs.text.includes(value)) leaks.push(`${field} in logs`);
    // Positive control: values of readable fields planted beside the secrets do come back in the text.
    expect(asAdmin.filter((r) => r.response.text.includes(MARKER)).length).toBeGreaterThan(0);
    expect(asOperator.filter((r) => r.response.text.includes(MARKER)).length).toBeGreaterThan(0);
    const nodesRuns = asAdmin.filter((r) => r.operation.rootField === 'nodes');
    const nodesFound = objects(
      nodesRuns.map((r) => r.response.data?.nodes),
      (o) => typeof o.__typename === 'string' && NODE_TYPES.includes(o.__typename),
    ).map((o) => o.__typename);
    expect(new Set(nodesFound)).toEqual(new Set(NODE_TYPES));
    expect(leaks).toEqual([]);
    expect(stack.logs.text).not.toContain('CANARY-');
    expect(stack.logs.lines.length).toBeGreaterThan(runs.length);
  });

  it('ran operations that fit the raised limits', () => {
    const sizes = operations.map((o) => measure(o.document));
    expect(sizes.length).toBeGreaterThan(0);
    for (const size of sizes) {
      expect(size.depth).toBeLessThanOrEqual(SETTINGS.maxDepth);
      expect(size.fields).toBeLessThanOrEqual(SETTINGS.maxFields);
    }
  });
});
