import { describe, expect, it } from 'vitest';
import type { AuditEntryWrite } from '../../src/write/types.js';
import { auditEntry } from './fixtures.js';
import {
  atMost,
  DATE_TIME,
  type Expected,
  expectIssues,
  loose,
  NOT_EMPTY,
  NOT_NULL,
  REQUIRED,
} from './support.js';
import { validateAuditEntry } from './validators.js';

const LIMITED_225 = [
  'ipAddress',
  'deviceAccount',
  'devicePassword',
  'enablePassword',
  'taskOwner',
  'clientIp',
  'jobType',
  'jobName',
  'processName',
  'connectionFor',
  'configType',
  'uofw',
] as const;

describe('validateAuditEntry accepts valid entries', () => {
  it.each(['create', 'replace'] as const)('a full entry on %s', (mode) => {
    expect(validateAuditEntry(auditEntry, mode)).toEqual([]);
  });
  it('only the organization', () =>
    expect(validateAuditEntry({ organization: 'acme' }, 'create')).toEqual([]));
  it('every length at its limit, counted in code points', () => {
    const atLimit = Object.fromEntries(LIMITED_225.map((f) => [f, '€'.repeat(225)]));
    const entry = { ...atLimit, organization: '😀'.repeat(25), connectionProtocol: 'p'.repeat(25) };
    expect(validateAuditEntry({ ...entry, error: 'e'.repeat(2000) }, 'replace')).toEqual([]);
  });
  it('fields without a limit take long strings', () => {
    const long = 'x'.repeat(5000);
    expect(
      validateAuditEntry({ organization: 'a', jobId: long, ciId: long, jobIterationId: long }, 'create'),
    ).toEqual([]);
  });
});

type Row = readonly [name: string, input: Record<string, unknown>, expected: Expected];
const rows: Row[] = [
  ['organization missing', {}, [['input.organization', REQUIRED]]],
  ['organization empty', { organization: '' }, [['input.organization', NOT_EMPTY]]],
  ['organization 26 characters', { organization: 'o'.repeat(26) }, [['input.organization', atMost(25)]]],
  ['organization null', { organization: null }, [['input.organization', NOT_NULL]]],
  ...LIMITED_225.map(
    (field): Row => [
      `${field} 226 characters`,
      { organization: 'a', [field]: 'v'.repeat(226) },
      [[`input.${field}`, atMost(225)]],
    ],
  ),
  [
    'connectionProtocol 26 characters',
    { organization: 'a', connectionProtocol: 's'.repeat(26) },
    [['input.connectionProtocol', atMost(25)]],
  ],
  ['error 2001 characters', { organization: 'a', error: 'e'.repeat(2001) }, [['input.error', atMost(2000)]]],
  ['an optional field null', { organization: 'a', jobId: null }, [['input.jobId', NOT_NULL]]],
  ['an optional field not a string', { organization: 'a', ciId: 42 }, [['input.ciId', /^must be a string$/]]],
  [
    'lastUpdateTime not a date-time',
    { organization: 'a', lastUpdateTime: 'yesterday' },
    [['input.lastUpdateTime', DATE_TIME]],
  ],
  ['lastUpdateTime empty', { organization: 'a', lastUpdateTime: '' }, [['input.lastUpdateTime', DATE_TIME]]],
  [
    'lastUpdateTime hour 24',
    { organization: 'a', lastUpdateTime: '2025-06-07T24:00:00Z' },
    [['input.lastUpdateTime', DATE_TIME]],
  ],
  ['lastUpdateTime with an offset', { organization: 'a', lastUpdateTime: '2025-06-07T14:54:24+05:30' }, []],
  [
    'several at once, in field order',
    { organization: '', devicePassword: 'p'.repeat(300), lastUpdateTime: 'x' },
    [
      ['input.lastUpdateTime', DATE_TIME],
      ['input.organization', NOT_EMPTY],
      ['input.devicePassword', atMost(225)],
    ],
  ],
];

describe('validateAuditEntry reports each broken rule, on create and on replace', () => {
  it.each(rows)('%s', (_name, input, expected) => {
    expectIssues(validateAuditEntry(loose<AuditEntryWrite>(input), 'create'), expected);
    expectIssues(validateAuditEntry(loose<AuditEntryWrite>(input), 'replace'), expected);
  });
  it('paths hang under `at`', () => {
    expectIssues(validateAuditEntry(loose<AuditEntryWrite>({}), 'create', 'input.entry'), [
      ['input.entry.organization', REQUIRED],
    ]);
  });
});
