import { describe, expect, it } from 'vitest';
import type { AccountWrite } from '../../src/write/types.js';
import { anonymous, forward, regular } from './fixtures.js';
import {
  atLeast,
  atMost,
  BOOLEAN,
  between,
  DATE_TIME,
  type Expected,
  expectIssues,
  INTEGER,
  loose,
  MODES,
  NOT_EMPTY,
  NOT_NULL,
  oneOf,
  REQUIRED,
} from './support.js';
import { validateAccount, type WriteMode } from './validators.js';

const sshKey = { login: 'root', method: 'ssh-key', privateKey: 'KEY', passwordChangePolicyId: 1 };
const creds = (fields: Record<string, unknown>) => ({ ...regular, credentials: fields });
const base = { login: 'root', method: 'password', secret: 's', passwordChangePolicyId: 1 };

describe('validateAccount accepts valid accounts', () => {
  it.each(MODES)('regular, forward and anonymous accounts in %s mode', (mode) => {
    for (const account of [regular, forward, anonymous]) expect(validateAccount(account, mode)).toEqual([]);
  });
  it('an empty patch', () => expect(validateAccount({}, 'update')).toEqual([]));
  it('a name of 255 code points that are 510 UTF-16 units', () => {
    expect(validateAccount({ ...regular, name: '😀'.repeat(255) }, 'create')).toEqual([]);
  });
});

type Row = readonly [name: string, input: Record<string, unknown>, mode: WriteMode, expected: Expected];

const rows: Row[] = [
  [
    'create needs name, type and serverId',
    {},
    'create',
    [
      ['input.name', REQUIRED],
      ['input.type', REQUIRED],
      ['input.serverId', REQUIRED],
    ],
  ],
  [
    'replace needs name, type and serverId',
    { credentials: null },
    'replace',
    [
      ['input.name', REQUIRED],
      ['input.type', REQUIRED],
      ['input.serverId', REQUIRED],
    ],
  ],
  ['name empty', { ...regular, name: '' }, 'create', [['input.name', NOT_EMPTY]]],
  ['name 256 characters', { ...regular, name: 'a'.repeat(256) }, 'replace', [['input.name', atMost(255)]]],
  ['name null in a patch', { name: null }, 'update', [['input.name', NOT_NULL]]],
  [
    'type unknown',
    { ...regular, type: 'admin' },
    'create',
    [['input.type', oneOf('anonymous, forward, regular')]],
  ],
  ['type null in a patch', { type: null }, 'update', [['input.type', NOT_NULL]]],
  ['blocked not a boolean', { ...regular, blocked: 'yes' }, 'create', [['input.blocked', BOOLEAN]]],
  ['serverId fractional', { ...regular, serverId: 1.5 }, 'create', [['input.serverId', INTEGER]]],
  ['serverId not positive', { serverId: 0 }, 'update', [['input.serverId', atLeast(1)]]],
  [
    'anonymous with credentials',
    { ...anonymous, credentials: { login: 'x' } },
    'create',
    [['input.credentials', /^must be absent or null for anonymous accounts$/]],
  ],
  [
    'anonymous with credentials in a patch',
    { type: 'anonymous', credentials: { login: 'x' } },
    'update',
    [['input.credentials', /^must be absent or null for anonymous accounts$/]],
  ],
  [
    'regular without credentials',
    { ...regular, credentials: undefined },
    'create',
    [['input.credentials', /^is required unless type is anonymous$/]],
  ],
  [
    'forward with null credentials',
    { ...forward, credentials: null },
    'replace',
    [['input.credentials', /^is required unless type is anonymous$/]],
  ],
  [
    'patch clears credentials of a regular account',
    { type: 'regular', credentials: null },
    'update',
    [['input.credentials', /^is required unless type is anonymous$/]],
  ],
  ['patch clears credentials, type unknown', { credentials: null }, 'update', []],
  [
    'credentials not an object',
    { ...regular, credentials: 'root' },
    'create',
    [['input.credentials', /^must be an object$/]],
  ],
  [
    'credentials without login',
    creds({ ...base, login: undefined }),
    'create',
    [['input.credentials.login', REQUIRED]],
  ],
  ['patch of credentials without login', { credentials: { secret: 'new' } }, 'update', []],
  ['login empty', creds({ ...base, login: '' }), 'replace', [['input.credentials.login', NOT_EMPTY]]],
  [
    'login 256 characters',
    creds({ ...base, login: 'l'.repeat(256) }),
    'create',
    [['input.credentials.login', atMost(255)]],
  ],
  [
    'domain 256 characters',
    creds({ ...base, domain: 'd'.repeat(256) }),
    'create',
    [['input.credentials.domain', atMost(255)]],
  ],
  [
    'regular without method and policy',
    creds({ login: 'root' }),
    'create',
    [
      ['input.credentials.method', /^is required for regular accounts$/],
      ['input.credentials.passwordChangePolicyId', /^is required for regular accounts$/],
    ],
  ],
  [
    'patch clears method and policy of a regular account',
    { type: 'regular', credentials: { method: null, passwordChangePolicyId: null } },
    'update',
    [
      ['input.credentials.method', /^is required for regular accounts$/],
      ['input.credentials.passwordChangePolicyId', /^is required for regular accounts$/],
    ],
  ],
  ['patch clears method, type unknown', { credentials: { method: null } }, 'update', []],
  [
    'method unknown',
    creds({ ...base, method: 'token' }),
    'create',
    [['input.credentials.method', oneOf('password, ssh-key, account')]],
  ],
  [
    'policy id fractional',
    creds({ ...base, passwordChangePolicyId: 1.5 }),
    'create',
    [['input.credentials.passwordChangePolicyId', INTEGER]],
  ],
  [
    'password method without secret',
    creds({ ...base, secret: undefined }),
    'create',
    [['input.credentials.secret', /^is required when method is password$/]],
  ],
  [
    'password method with empty secret',
    creds({ ...base, secret: '' }),
    'replace',
    [['input.credentials.secret', /^is required when method is password$/]],
  ],
  ['password method, secret left out of a patch', { credentials: { method: 'password' } }, 'update', []],
  [
    'password method, empty secret in a patch',
    { credentials: { method: 'password', secret: '' } },
    'update',
    [['input.credentials.secret', /^is required when method is password$/]],
  ],
  ['secret null', creds({ ...base, secret: null }), 'create', [['input.credentials.secret', NOT_NULL]]],
  [
    'secret 1025 characters',
    creds({ ...base, secret: 's'.repeat(1025) }),
    'create',
    [['input.credentials.secret', atMost(1024)]],
  ],
  [
    'ssh-key method without private key',
    creds({ ...sshKey, privateKey: undefined }),
    'replace',
    [['input.credentials.privateKey', /^is required when method is ssh-key$/]],
  ],
  ['ssh-key method, key left out of a patch', { credentials: { method: 'ssh-key' } }, 'update', []],
  [
    'private key 16385 characters',
    creds({ ...sshKey, privateKey: 'k'.repeat(16385) }),
    'create',
    [['input.credentials.privateKey', atMost(16384)]],
  ],
  [
    'password recovery on a forward account',
    { ...forward, passwordRecovery: true },
    'create',
    [['input.passwordRecovery', /^may be true only for regular accounts$/]],
  ],
  [
    'password recovery, patch gives type anonymous',
    { type: 'anonymous', passwordRecovery: true },
    'update',
    [['input.passwordRecovery', /^may be true only for regular accounts$/]],
  ],
  ['password recovery, type unknown', { passwordRecovery: true }, 'update', []],
  [
    'dumpMode unknown',
    { ...regular, dumpMode: 'some' },
    'create',
    [['input.dumpMode', oneOf('all, none, raw')]],
  ],
  ['ocrLang 65 characters', { ocrLang: 'e'.repeat(65) }, 'update', [['input.ocrLang', atMost(64)]]],
  [
    'passwordChangeRequest not a date',
    { passwordChangeRequest: '2026-02-30T00:00:00Z' },
    'update',
    [['input.passwordChangeRequest', DATE_TIME]],
  ],
  [
    'passwordChangeRequest without offset',
    { passwordChangeRequest: '2026-03-01T12:00:00' },
    'update',
    [['input.passwordChangeRequest', DATE_TIME]],
  ],
  ['passwordChangeRequest cleared', { passwordChangeRequest: null }, 'update', []],
  [
    'checkout limit minutes 60',
    { passwordCheckoutTimeLimit: '00:60:00' },
    'update',
    [['input.passwordCheckoutTimeLimit', /^must be a duration in the form hh:mm:ss$/]],
  ],
  [
    'checkout limit one-digit hour',
    { passwordCheckoutTimeLimit: '1:00:00' },
    'update',
    [['input.passwordCheckoutTimeLimit', /^must be a duration in the form hh:mm:ss$/]],
  ],
  ['checkout limit cleared', { passwordCheckoutTimeLimit: null }, 'update', []],
  ['retention 0', { retention: 0 }, 'update', [['input.retention', between(1, 2147483647)]]],
  [
    'retention above int32',
    { retention: 2147483648 },
    'update',
    [['input.retention', between(1, 2147483647)]],
  ],
  ['retention fractional', { retention: 2.5 }, 'update', [['input.retention', INTEGER]]],
  ['retention cleared', { retention: null }, 'update', []],
];

describe('validateAccount reports each broken rule', () => {
  it.each(rows)('%s', (_name, input, mode, expected) => {
    expectIssues(validateAccount(loose<AccountWrite>(input), mode), expected);
  });
});
