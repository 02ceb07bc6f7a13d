import { describe, expect, it } from 'vitest';
import type { InputIssue } from '../../src/write/types.js';
import { loose } from './support.js';
import {
  validateAccount,
  validateAuditEntry,
  validateListener,
  validateSafe,
  validateServer,
  validateUser,
} from './validators.js';

/** Longer than every limit (the largest is 16384), so every limited field fails on its length. */
const CANARY = 'c4n4ry-S3CR3T-'.repeat(1200);
const MARK = 'c4n4ry';

const credentials = { domain: CANARY, login: CANARY, secret: CANARY, privateKey: CANARY };
const changer = {
  changerId: 4,
  type: CANARY,
  position: 0,
  timeout: 0,
  privilegedModePassword: CANARY,
  privilegedUsername: CANARY,
  privilegedPassword: CANARY,
  sshUsername: CANARY,
  sshPassword: CANARY,
  sshHost: CANARY,
  sshPort: CANARY,
};
const account = {
  name: CANARY,
  ocrLang: CANARY,
  passwordChangeRequest: CANARY,
  passwordCheckoutTimeLimit: CANARY,
  dumpMode: CANARY,
  passwordChangers: [changer, { ...changer, changerId: 6 }],
};
const blockable = { name: CANARY, blocked: true, reason: '' };
const audit = Object.fromEntries(
  [
    'organization',
    'jobId',
    'ciId',
    'jobIterationId',
    'ipAddress',
    'deviceAccount',
    'devicePassword',
    'enablePassword',
    'connectionProtocol',
    'error',
    'taskOwner',
    'clientIp',
    'jobType',
    'jobName',
    'processName',
    'connectionFor',
    'lastUpdateTime',
    'configType',
    'uofw',
  ].map((field) => [field, CANARY]),
);

const cases: [string, () => InputIssue[]][] = [
  [
    'account, unknown type and method',
    () =>
      validateAccount(
        loose({ ...account, type: CANARY, credentials: { ...credentials, method: CANARY } }),
        'create',
      ),
  ],
  [
    'account, regular with password',
    () =>
      validateAccount(
        loose({ ...account, type: 'regular', credentials: { ...credentials, method: 'password' } }),
        'replace',
      ),
  ],
  [
    'account, anonymous with credentials',
    () => validateAccount(loose({ ...account, type: 'anonymous', credentials }), 'update'),
  ],
  [
    'server',
    () =>
      validateServer(
        loose({ ...blockable, description: CANARY, address: CANARY, protocol: CANARY, bindIp: CANARY }),
        'create',
      ),
  ],
  ['safe', () => validateSafe(loose({ ...blockable, noteAccess: CANARY }), 'replace')],
  [
    'listener',
    () =>
      validateListener(
        loose({ ...blockable, protocol: CANARY, mode: 'proxy', listenIp: CANARY, externalAddress: CANARY }),
        'create',
      ),
  ],
  [
    'user',
    () =>
      validateUser(
        loose({ ...blockable, role: CANARY, fullName: CANARY, email: CANARY, password: CANARY }),
        'create',
      ),
  ],
  ['audit entry', () => validateAuditEntry(loose(audit), 'create')],
];

describe('no message repeats a submitted value', () => {
  it.each(cases)('%s', (_name, validate) => {
    const issues = validate();
    expect(issues.length).toBeGreaterThanOrEqual(3);
    for (const issue of issues) {
      expect(issue.message).not.toContain(MARK);
      expect(issue.path).not.toContain(MARK);
      expect(issue.message.length).toBeLessThan(120);
    }
  });

  it('the secret fields are among those reported', () => {
    const paths = validateAccount(loose({ ...account, type: 'regular', credentials }), 'create').map(
      (i) => i.path,
    );
    expect(paths).toEqual(
      expect.arrayContaining(['input.credentials.secret', 'input.credentials.privateKey']),
    );
    const auditPaths = validateAuditEntry(loose(audit), 'create').map((i) => i.path);
    expect(auditPaths).toEqual(expect.arrayContaining(['input.devicePassword', 'input.enablePassword']));
  });
});
