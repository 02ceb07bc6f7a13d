import { describe, it } from 'vitest';
import type { AccountWrite } from '../../src/write/types.js';
import { regular } from './fixtures.js';
import {
  atLeast,
  between,
  type Expected,
  expectIssues,
  loose,
  NOT_EMPTY,
  NOT_NULL,
  oneOf,
  REQUIRED,
} from './support.js';
import { validateAccount, type WriteMode } from './validators.js';

type Row = readonly [name: string, input: Record<string, unknown>, mode: WriteMode, expected: Expected];

const changer = (fields: Record<string, unknown>) => ({ ...regular, passwordChangers: [fields] });
const ssh = { sshUsername: 'u', sshPassword: 'p', sshHost: 'h', sshPort: '22' };
const changerRows: Row[] = [
  [
    'item without required fields',
    changer({}),
    'create',
    [
      ['input.passwordChangers.0.changerId', REQUIRED],
      ['input.passwordChangers.0.position', REQUIRED],
      ['input.passwordChangers.0.timeout', REQUIRED],
    ],
  ],
  [
    'changerId 9',
    changer({ changerId: 9, position: 0, timeout: 5 }),
    'create',
    [['input.passwordChangers.0.changerId', between(1, 8)]],
  ],
  [
    'changerId 0',
    changer({ changerId: 0, position: 0, timeout: 5 }),
    'create',
    [['input.passwordChangers.0.changerId', between(1, 8)]],
  ],
  [
    'type unknown',
    changer({ changerId: 1, type: 'reset', position: 0, timeout: 5 }),
    'create',
    [['input.passwordChangers.0.type', oneOf('change, verify')]],
  ],
  [
    'position negative',
    changer({ changerId: 1, position: -1, timeout: 5 }),
    'create',
    [['input.passwordChangers.0.position', atLeast(0)]],
  ],
  [
    'timeout 0',
    changer({ changerId: 1, position: 0, timeout: 0 }),
    'create',
    [['input.passwordChangers.0.timeout', between(1, 3600)]],
  ],
  [
    'timeout 3601',
    changer({ changerId: 1, position: 0, timeout: 3601 }),
    'create',
    [['input.passwordChangers.0.timeout', between(1, 3600)]],
  ],
  [
    'changer 4 without ssh fields',
    changer({ changerId: 4, position: 0, timeout: 5 }),
    'create',
    ['sshUsername', 'sshPassword', 'sshHost', 'sshPort'].map(
      (f) => [`input.passwordChangers.0.${f}`, /^is required for changer 4$/] as const,
    ),
  ],
  [
    'changer 4 with an empty ssh password',
    changer({ changerId: 4, position: 0, timeout: 5, ...ssh, sshPassword: '' }),
    'create',
    [['input.passwordChangers.0.sshPassword', /^is required for changer 4$/]],
  ],
  [
    'changer 4 with a null ssh host',
    changer({ changerId: 4, position: 0, timeout: 5, ...ssh, sshHost: null }),
    'create',
    [['input.passwordChangers.0.sshHost', NOT_NULL]],
  ],
  [
    'changer 5 without privileged mode password',
    changer({ changerId: 5, position: 0, timeout: 5 }),
    'create',
    [['input.passwordChangers.0.privilegedModePassword', /^is required for changers 5 to 8$/]],
  ],
  [
    'changer 8 with an empty privileged mode password',
    changer({ changerId: 8, position: 0, timeout: 5, privilegedModePassword: '' }),
    'create',
    [['input.passwordChangers.0.privilegedModePassword', /^is required for changers 5 to 8$/]],
  ],
  [
    'the list is whole on a patch too',
    {
      passwordChangers: [
        { changerId: 1, position: 0, timeout: 5 },
        { changerId: 6, position: 1, timeout: 5 },
      ],
    },
    'update',
    [['input.passwordChangers.1.privilegedModePassword', /^is required for changers 5 to 8$/]],
  ],
  [
    'changerId fractional is only not an integer',
    changer({ changerId: 5.5, position: 0, timeout: 5 }),
    'create',
    [['input.passwordChangers.0.changerId', /^must be an integer$/]],
  ],
  ['an empty list clears', { passwordChangers: [] }, 'update', []],
  ['list null', { passwordChangers: null }, 'update', [['input.passwordChangers', NOT_NULL]]],
  [
    'list not a list',
    { passwordChangers: { changerId: 1 } },
    'update',
    [['input.passwordChangers', /^must be a list$/]],
  ],
  ['item null', { passwordChangers: [null] }, 'update', [['input.passwordChangers.0', NOT_NULL]]],
];

describe('validateAccount checks every password changer', () => {
  it.each(changerRows)('%s', (_name, input, mode, expected) => {
    expectIssues(validateAccount(loose<AccountWrite>(input), mode), expected);
  });
});

describe('validateAccount reports all issues at once, in field order, under `at`', () => {
  it('many broken rules', () => {
    const input = loose<AccountWrite>({
      type: 'regular',
      serverId: -1,
      credentials: { login: '', method: 'password' },
      retention: 0,
      passwordChangers: [{ changerId: 5, position: 0, timeout: 9999 }],
    });
    expectIssues(validateAccount(input, 'create', 'input.account'), [
      ['input.account.name', REQUIRED],
      ['input.account.serverId', atLeast(1)],
      ['input.account.credentials.login', NOT_EMPTY],
      ['input.account.credentials.secret', /^is required when method is password$/],
      ['input.account.credentials.passwordChangePolicyId', /^is required for regular accounts$/],
      ['input.account.retention', between(1, 2147483647)],
      ['input.account.passwordChangers.0.timeout', between(1, 3600)],
      ['input.account.passwordChangers.0.privilegedModePassword', /^is required for changers 5 to 8$/],
    ]);
  });
});
