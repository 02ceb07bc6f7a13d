/**
 * The shared write helpers on their own: body building, path translation, secret redaction, and the status
 * mapping of `sendWrite` against a scripted upstream (statuses and bodies the simulators never produce,
 * such as a 400 that echoes a secret).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { Account, AuditEntry, Grant, Listener, Server, User } from '../../src/resources/index.js';
import { createAuditEntry } from '../../src/upstream/audit-writes.js';
import { buildBody, translatePath } from '../../src/upstream/body.js';
import { UpstreamHttp } from '../../src/upstream/http.js';
import { accounts, users } from '../../src/upstream/pam/index.js';
import { RequestBudget, ScopedUpstream } from '../../src/upstream/scope.js';
import { redactSecrets, toIssues, WITHHELD_MESSAGE } from '../../src/upstream/write-outcome.js';
import type { AccountWrite } from '../../src/write/types.js';
import { type FaultServer, json, reply, startFaultServer } from '../support/fault-server.js';

const SECRET = 'hunter2-secret-7c1e';
const KEY = '-----BEGIN KEY-----\nabc"def\n-----END KEY-----';

describe('body builders', () => {
  it('renames every account field, nested ones included, omits undefined and keeps null', () => {
    const w: AccountWrite = {
      name: 'db',
      type: 'regular',
      serverId: 3,
      credentials: { login: 'root', method: 'password', secret: SECRET, passwordChangePolicyId: 1 },
      ocrLang: undefined,
      passwordChangeRequest: null,
      passwordChangers: [
        { changerId: 5, type: 'verify', position: 0, timeout: 30, privilegedModePassword: 'p' },
      ],
    };
    expect(buildBody(Account, w)).toEqual({
      name: 'db',
      type: 'regular',
      server_id: 3,
      credentials: { login: 'root', method: 'password', secret: SECRET, password_change_policy_id: 1 },
      password_change_request: null,
      accountpasswordchanger_set: [
        { id: 5, password_changer_type: 'verify', position: 0, timeout: 30, privileged_mode_password: 'p' },
      ],
    });
    expect(buildBody(Account, { credentials: null })).toEqual({ credentials: null });
    expect(buildBody(Account, { credentials: { login: 'x', privateKey: KEY } })).toEqual({
      credentials: { login: 'x', private_key: KEY },
    });
  });

  it('renames server, listener, user and audit fields and drops fields the DTO does not declare', () => {
    expect(buildBody(Server, { bindIp: null, mask: 24 })).toEqual({ bind_ip: null, mask: 24 });
    expect(buildBody(Listener, { listenIp: '::', listenPort: null, externalPort: 1 })).toEqual({
      listen_ip: '::',
      listen_port: null,
      external_port: 1,
    });
    const extra = { fullName: 'A B', password: 'pw', id: 9, createdAt: 'x' } as const;
    expect(buildBody(User, extra)).toEqual({ full_name: 'A B', password: 'pw' });
    const audit = { organization: 'o', ipAddress: '10.0.0.1', devicePassword: 'd', createdAt: 'now' };
    expect(buildBody(AuditEntry, { ...audit, enablePassword: 'e', deviceAccount: 'admin' })).toEqual({
      organization: 'o',
      ipaddress: '10.0.0.1',
      dpassword: 'd',
      denable_password: 'e',
      device_account: 'admin',
    });
  });
});

describe('translatePath', () => {
  it.each([
    ['name', 'input.name'],
    ['server_id', 'input.serverId'],
    ['credentials.secret', 'input.credentials.secret'],
    ['credentials.private_key', 'input.credentials.privateKey'],
    ['credentials.password_change_policy_id', 'input.credentials.passwordChangePolicyId'],
    ['credentials.non_field_errors', 'input.credentials'],
    ['accountpasswordchanger_set.0.timeout', 'input.passwordChangers.0.timeout'],
    ['accountpasswordchanger_set.2.id', 'input.passwordChangers.2.changerId'],
    ['accountpasswordchanger_set.1.password_changer_type', 'input.passwordChangers.1.type'],
    ['accountpasswordchanger_set.1', 'input.passwordChangers.1'],
    ['non_field_errors', 'input'],
    ['some_new_field', 'input.someNewField'],
    ['some_new.nested_thing', 'input.someNew.nestedThing'],
  ])('account %s → %s', (upstream, expected) => {
    expect(translatePath(upstream, Account, 'input')).toBe(expected);
  });

  it('puts argument-style paths at the root', () => {
    expect(translatePath('user_id', Grant, '')).toBe('userId');
    expect(translatePath('non_field_errors', Grant, '')).toBe('');
  });
});

describe('redactSecrets', () => {
  it('replaces every occurrence, longest secret first, ignoring empty strings', () => {
    expect(redactSecrets(`"${SECRET}" is wrong; ${SECRET}!`, [SECRET, ''])).toBe(
      '"[redacted]" is wrong; [redacted]!',
    );
    expect(redactSecrets('abcdef and abc', ['abc', 'abcdef'])).toBe('[redacted] and [redacted]');
    expect(redactSecrets('nothing here', [''])).toBe('nothing here');
  });

  it('treats secrets literally and also finds their JSON-escaped form', () => {
    expect(redactSecrets('a.b+c a_b_c', ['a.b+c'])).toBe('[redacted] a_b_c');
    expect(redactSecrets(`got ${JSON.stringify(KEY)}`, [KEY])).toBe('got "[redacted]"');
  });

  it('is applied to every translated issue, path and message', () => {
    const issues = toIssues([{ path: `x_${SECRET}`, message: `bad ${SECRET}` }], {
      resource: Account,
      root: 'input',
      secrets: [SECRET],
    });
    expect(JSON.stringify(issues)).not.toContain(SECRET);
    expect(issues).toEqual([{ path: 'input.[redacted]', message: 'bad [redacted]' }]);
  });

  it('never cuts a short secret out of a field name, and withholds a message that contains one', () => {
    const issues = toIssues(
      [
        { path: 'server_id', message: 'Invalid pk "987654" - object does not exist.' },
        { path: 's', message: 'fine' },
      ],
      { resource: Account, root: 'input', secrets: ['s'] },
    );
    expect(issues).toEqual([
      { path: 'input.serverId', message: WITHHELD_MESSAGE },
      { path: 'input.[redacted]', message: 'fine' },
    ]);
  });
});

describe('sendWrite against a scripted upstream', () => {
  const logger = createLogger({ level: 'silent' });
  let server: FaultServer;
  let pamHttp: UpstreamHttp;
  let auditHttp: UpstreamHttp;
  const scope = () => ({
    credential: 'tok',
    credentialHeader: 'x-token',
    requestId: 'r',
    budget: new RequestBudget(10),
  });
  const options = { timeoutMs: 2_000, connections: 1, maxResponseBytes: 65_536, logger, backoffMs: 1 };
  const pam = () => new ScopedUpstream(pamHttp, scope());
  const audit = () => new ScopedUpstream(auditHttp, scope());
  const account: AccountWrite = {
    name: 'a',
    credentials: { login: 'l', secret: SECRET, privateKey: KEY },
    passwordChangers: [{ changerId: 4, position: 0, timeout: 1, sshPassword: 'ssh-pw-1' }],
  };

  beforeAll(async () => {
    server = await startFaultServer();
    pamHttp = new UpstreamHttp({ name: 'pam', baseUrl: server.url, ...options });
    auditHttp = new UpstreamHttp({ name: 'audit', baseUrl: server.url, ...options });
  });
  beforeEach(() => server.reset());
  afterAll(async () => {
    await Promise.all([pamHttp.close(), auditHttp.close()]);
    await server.stop();
  });

  it('redacts secrets a 400 echoes, in every message', async () => {
    server.script(
      json(400, {
        'credentials.secret': [`"${SECRET}" is too weak.`],
        'credentials.private_key': [`Cannot parse ${JSON.stringify(KEY)}.`],
        'accountpasswordchanger_set.0.ssh_password': ['ssh-pw-1 rejected', 'and ssh-pw-1 again'],
      }),
    );
    const outcome = await accounts.create(pam(), account);
    expect(outcome).toEqual({
      kind: 'invalid',
      issues: [
        { path: 'input.credentials.secret', message: '"[redacted]" is too weak.' },
        { path: 'input.credentials.privateKey', message: 'Cannot parse "[redacted]".' },
        { path: 'input.passwordChangers.0.sshPassword', message: '[redacted] rejected' },
        { path: 'input.passwordChangers.0.sshPassword', message: 'and [redacted] again' },
      ],
    });
    expect(server.requests).toHaveLength(1);
  });

  it('redacts the user password and the audit passwords', async () => {
    server.script(json(400, { password: ['pw-u-1 is common'] }));
    const user = await users.create(pam(), { name: 'u', role: 'user', password: 'pw-u-1' });
    expect(user).toEqual({
      kind: 'invalid',
      issues: [{ path: 'input.password', message: '[redacted] is common' }],
    });
    server.script(
      json(400, { error: 'Invalid input.', fields: { dpassword: ['dp-1'], denable_password: ['ep-1'] } }),
    );
    const entry = await createAuditEntry(audit(), {
      organization: 'o',
      devicePassword: 'dp-1',
      enablePassword: 'ep-1',
    });
    expect(entry).toEqual({
      kind: 'invalid',
      issues: [
        { path: 'input.devicePassword', message: '[redacted]' },
        { path: 'input.enablePassword', message: '[redacted]' },
      ],
    });
  });

  it('turns a 400 body of another shape into one generic issue at the root, without its text', async () => {
    for (const body of [
      reply(400, `<html>${SECRET}</html>`),
      json(400, { name: `${SECRET}` }),
      json(400, { detail: { nested: [SECRET] } }),
      json(400, {}),
      json(400, [SECRET]),
    ]) {
      server.script(body);
      const outcome = await accounts.create(pam(), account);
      expect(outcome.kind === 'invalid' && outcome.issues.map((i) => i.path)).toEqual(['input']);
      expect(JSON.stringify(outcome)).not.toContain(SECRET);
    }
    server.script(json(400, { error: 'Malformed JSON body.' }));
    expect(await createAuditEntry(audit(), { organization: 'o' })).toEqual({
      kind: 'invalid',
      issues: [{ path: 'input', message: 'Malformed JSON body.' }],
    });
  });

  it('maps 403 and 404 to outcomes on both upstreams', async () => {
    server.script(json(403, { detail: 'no' }), json(404, { error: 'Not found.' }));
    expect(await accounts.create(pam(), account)).toEqual({ kind: 'forbidden' });
    expect(await createAuditEntry(audit(), { organization: 'o' })).toEqual({ kind: 'not_found' });
  });

  it.each([
    [401, 'UNAUTHENTICATED'],
    [409, 'UPSTREAM_BAD_RESPONSE'],
    [422, 'BAD_USER_INPUT'],
    [500, 'UPSTREAM_UNAVAILABLE'],
    [503, 'UPSTREAM_UNAVAILABLE'],
  ])('throws for HTTP %i (%s) after exactly one attempt, with no upstream text', async (status, code) => {
    server.script(json(status, { detail: SECRET, error: SECRET }));
    const error = await accounts.create(pam(), account).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code, details: { upstream: 'pam', status } });
    expect(JSON.stringify({ m: (error as Error).message })).not.toContain(SECRET);
    expect(server.requests).toHaveLength(1);
  });

  it('fails with UPSTREAM_BAD_RESPONSE when a 2xx body does not decode', async () => {
    server.script(json(201, { id: 'x' }));
    await expect(accounts.create(pam(), account)).rejects.toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE' });
  });
});
