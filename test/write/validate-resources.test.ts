import { describe, expect, it } from 'vitest';
import type { InputIssue, UserWrite } from '../../src/write/types.js';
import { listener, safe, server, user } from './fixtures.js';
import {
  atLeast,
  atMost,
  BOOLEAN,
  between,
  type Expected,
  expectIssues,
  INTEGER,
  IP,
  loose,
  MODES,
  NOT_EMPTY,
  NOT_NULL,
  oneOf,
  REQUIRED,
} from './support.js';
import {
  validateListener,
  validateSafe,
  validateServer,
  validateUser,
  type WriteMode,
} from './validators.js';

type Validate = (input: Record<string, unknown>, mode: WriteMode) => InputIssue[];
const kinds: Record<string, [Validate, Record<string, unknown>]> = {
  server: [(w, m) => validateServer(loose(w), m), { ...server }],
  safe: [(w, m) => validateSafe(loose(w), m), { ...safe }],
  listener: [(w, m) => validateListener(loose(w), m), { ...listener }],
  user: [(w, m) => validateUser(loose(w), m), { ...user }],
};
const PROTOCOLS = 'http, modbus, mysql, rdp, ssh, system, tcp, tds, telnet, tn3270, tn5250, vnc';
const REASON = /^is required when blocked is true$/;

describe('valid servers, safes, listeners and users', () => {
  it.each(Object.keys(kinds))('a valid %s gives no issue in any mode, nor does an empty patch', (kind) => {
    const [validate, valid] = kinds[kind] ?? [];
    for (const mode of MODES) expect(validate?.(valid ?? {}, mode)).toEqual([]);
    expect(validate?.({}, 'update')).toEqual([]);
  });
});

type Row = readonly [name: string, input: Record<string, unknown>, mode: WriteMode, expected: Expected];

/** The blocked ⇒ reason rule, the same for all four kinds. */
const blockedRows = (valid: Record<string, unknown>): Row[] => [
  [
    'blocked without reason',
    { ...valid, blocked: true, reason: undefined },
    'create',
    [['input.reason', REASON]],
  ],
  [
    'blocked with null reason',
    { ...valid, blocked: true, reason: null },
    'replace',
    [['input.reason', REASON]],
  ],
  [
    'blocked with empty reason',
    { ...valid, blocked: true, reason: '' },
    'create',
    [['input.reason', REASON]],
  ],
  ['patch blocks, keeping the stored reason', { blocked: true }, 'update', []],
  [
    'patch blocks and clears the reason',
    { blocked: true, reason: null },
    'update',
    [['input.reason', REASON]],
  ],
  ['patch blocks with an empty reason', { blocked: true, reason: '' }, 'update', [['input.reason', REASON]]],
  ['patch unblocks and clears the reason', { blocked: false, reason: null }, 'update', []],
  ['blocked not a boolean', { blocked: 'true' }, 'update', [['input.blocked', BOOLEAN]]],
];

const serverRows: Row[] = [
  [
    'create needs name, address, port, protocol',
    {},
    'create',
    ['name', 'address', 'port', 'protocol'].map((f) => [`input.${f}`, REQUIRED] as const),
  ],
  [
    'replace needs them too',
    { description: 'x' },
    'replace',
    ['name', 'address', 'port', 'protocol'].map((f) => [`input.${f}`, REQUIRED] as const),
  ],
  ['name empty', { name: '' }, 'update', [['input.name', NOT_EMPTY]]],
  ['name 256 characters', { name: 'n'.repeat(256) }, 'update', [['input.name', atMost(255)]]],
  [
    'description 1025 characters',
    { description: 'd'.repeat(1025) },
    'update',
    [['input.description', atMost(1024)]],
  ],
  ['description null', { description: null }, 'update', [['input.description', NOT_NULL]]],
  ['address a host name', { ...server, address: 'db1.example.com' }, 'create', [['input.address', IP]]],
  ['address with prefix', { address: '10.0.0.0/24' }, 'update', [['input.address', IP]]],
  ['address null', { address: null }, 'update', [['input.address', NOT_NULL]]],
  ['mask 129', { mask: 129 }, 'update', [['input.mask', between(0, 128)]]],
  ['mask negative', { mask: -1 }, 'update', [['input.mask', between(0, 128)]]],
  ['mask cleared', { mask: null }, 'update', []],
  ['port 0', { port: 0 }, 'update', [['input.port', between(1, 65535)]]],
  ['port 65536', { port: 65536 }, 'update', [['input.port', between(1, 65535)]]],
  ['port fractional', { port: 22.5 }, 'update', [['input.port', INTEGER]]],
  ['port a string', { port: '22' }, 'update', [['input.port', INTEGER]]],
  ['protocol unknown', { protocol: 'ftp' }, 'update', [['input.protocol', oneOf(PROTOCOLS)]]],
  ['bindIp invalid', { bindIp: '10.0.0.256' }, 'update', [['input.bindIp', IP]]],
  ['bindIp cleared', { bindIp: null }, 'update', []],
  ...blockedRows({ ...server }),
];

const safeRows: Row[] = [
  ['create needs a name', {}, 'create', [['input.name', REQUIRED]]],
  ['replace needs a name', { webclient: true }, 'replace', [['input.name', REQUIRED]]],
  ['name 256 characters', { name: 'n'.repeat(256) }, 'update', [['input.name', atMost(255)]]],
  ['requiredVotes negative', { requiredVotes: -1 }, 'update', [['input.requiredVotes', atLeast(0)]]],
  ['inactivityLimit fractional', { inactivityLimit: 1.5 }, 'update', [['input.inactivityLimit', INTEGER]]],
  ['timeLimit negative', { timeLimit: -5 }, 'update', [['input.timeLimit', atLeast(0)]]],
  ['noteAccess unknown', { noteAccess: 'all' }, 'update', [['input.noteAccess', oneOf('none, read, write')]]],
  ['webclient null', { webclient: null }, 'update', [['input.webclient', NOT_NULL]]],
  ...blockedRows({ ...safe }),
];

const PORT_NEEDED = /^is required when mode is bastion or proxy$/;
const EXTERNAL_PORT = /^is required when externalAddress is set$/;
const gateway = { name: 'gw', protocol: 'rdp', mode: 'gateway' };
const listenerRows: Row[] = [
  [
    'create needs name, protocol, mode',
    {},
    'create',
    ['name', 'protocol', 'mode'].map((f) => [`input.${f}`, REQUIRED] as const),
  ],
  [
    'replace needs them too',
    { listenIp: '::' },
    'replace',
    ['name', 'protocol', 'mode'].map((f) => [`input.${f}`, REQUIRED] as const),
  ],
  [
    'mode unknown',
    { mode: 'relay' },
    'update',
    [['input.mode', oneOf('bastion, gateway, proxy, transparent')]],
  ],
  ['listenIp invalid', { listenIp: '0.0.0.0:22' }, 'update', [['input.listenIp', IP]]],
  ['listenIp null', { listenIp: null }, 'update', [['input.listenIp', NOT_NULL]]],
  [
    'bastion without listen port',
    { ...listener, listenPort: undefined },
    'create',
    [['input.listenPort', PORT_NEEDED]],
  ],
  [
    'proxy with null listen port',
    { ...listener, mode: 'proxy', listenPort: null },
    'replace',
    [['input.listenPort', PORT_NEEDED]],
  ],
  ['gateway without listen port', gateway, 'create', []],
  ['patch makes it a bastion, keeping the stored port', { mode: 'bastion' }, 'update', []],
  [
    'patch makes it a proxy and clears the port',
    { mode: 'proxy', listenPort: null },
    'update',
    [['input.listenPort', PORT_NEEDED]],
  ],
  ['listen port 70000', { listenPort: 70000 }, 'update', [['input.listenPort', between(1, 65535)]]],
  [
    'external address without port',
    { ...gateway, externalAddress: 'gw.example.com' },
    'create',
    [['input.externalPort', EXTERNAL_PORT]],
  ],
  [
    'external address, port cleared',
    { ...gateway, externalAddress: 'gw', externalPort: null },
    'replace',
    [['input.externalPort', EXTERNAL_PORT]],
  ],
  ['patch sets the external address, keeping the stored port', { externalAddress: 'gw' }, 'update', []],
  [
    'patch sets the external address and clears the port',
    { externalAddress: 'gw', externalPort: null },
    'update',
    [['input.externalPort', EXTERNAL_PORT]],
  ],
  ['external address cleared', { externalAddress: null, externalPort: null }, 'update', []],
  ['external port 0', { externalPort: 0 }, 'update', [['input.externalPort', between(1, 65535)]]],
  ...blockedRows({ ...listener }),
];

const EMAIL = /^must be an e-mail address$/;
const userRows: Row[] = [
  [
    'create needs name and role',
    {},
    'create',
    [
      ['input.name', REQUIRED],
      ['input.role', REQUIRED],
    ],
  ],
  [
    'replace needs name and role',
    { email: null },
    'replace',
    [
      ['input.name', REQUIRED],
      ['input.role', REQUIRED],
    ],
  ],
  [
    'role unknown',
    { role: 'root' },
    'update',
    [['input.role', oneOf('superadmin, admin, operator, service, user')]],
  ],
  ['email without @', { email: 'alice.example.com' }, 'update', [['input.email', EMAIL]]],
  ['email without domain dot', { email: 'alice@example' }, 'update', [['input.email', EMAIL]]],
  ['email with a space', { email: 'alice smith@example.com' }, 'update', [['input.email', EMAIL]]],
  ['email with two @', { email: 'a@b@example.com' }, 'update', [['input.email', EMAIL]]],
  ['email empty', { email: '' }, 'update', [['input.email', EMAIL]]],
  ['email cleared', { email: null, fullName: null }, 'update', []],
  ['password null', { password: null }, 'update', [['input.password', NOT_NULL]]],
  ['password not a string', { password: 1234 }, 'update', [['input.password', /^must be a string$/]]],
  ...blockedRows({ ...user }),
];

describe.each([
  ['validateServer', 'server', serverRows],
  ['validateSafe', 'safe', safeRows],
  ['validateListener', 'listener', listenerRows],
  ['validateUser', 'user', userRows],
] as const)('%s reports each broken rule', (_fn, kind, rows) => {
  it.each(rows)('%s', (_name, input, mode, expected) => {
    const [validate] = kinds[kind] ?? [];
    expect(validate).toBeDefined();
    expectIssues(validate?.(input, mode) ?? [], expected);
  });
});

describe('paths hang under `at`; the input itself must be an object', () => {
  it('nested at', () => {
    expectIssues(validateSafe({ requiredVotes: -1 }, 'update', 'input.safes.2'), [
      ['input.safes.2.requiredVotes', atLeast(0)],
    ]);
  });
  it('null input', () => {
    expectIssues(validateUser(null as unknown as UserWrite, 'create'), [['input', NOT_NULL]]);
  });
});
