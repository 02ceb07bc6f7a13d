/**
 * Secrets never leave the gateway: a canary is planted in every write-only or sensitive field the simulators
 * hold (account secrets and private keys, password-changer passwords, user passwords, audit `dpassword` and
 * `denable_password`), then a generic walk selects every field of every type reachable from Query, as
 * superadmin, as operator, with wrong credentials and with ids that do not exist, and no response body and
 * no log line may contain any canary.
 */
import { extendSchema, getNamedType, isInterfaceType, isNonNullType, parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.js';
import { canaries, MARKER, type Planted, plant } from '../support/planted-secrets.js';
import { callSimulator } from '../support/seed.js';
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
