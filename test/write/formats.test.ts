import { describe, expect, it } from 'vitest';
import { isDateTime, isDuration, isEmailAddress } from '../../src/write/validate/formats.js';
import { isIpAddress } from '../../src/write/validate/index.js';

describe('isIpAddress', () => {
  it.each([
    ['IPv4', '192.168.1.10'],
    ['IPv4 zeros', '0.0.0.0'],
    ['IPv4 broadcast', '255.255.255.255'],
    ['IPv6 full', '2001:0db8:0000:0000:0000:0000:0000:0001'],
    ['IPv6 compressed', '2001:db8::1'],
    ['IPv6 upper case', '2001:DB8::ABCD'],
    ['IPv6 loopback', '::1'],
    ['IPv6 unspecified', '::'],
    ['IPv6 trailing ::', 'fe80::'],
    ['IPv6 :: for one group', '1:2:3:4:5:6:7::'],
    ['IPv6 embedded IPv4 after ::', '::ffff:10.0.0.1'],
    ['IPv6 embedded IPv4 only', '::1.2.3.4'],
    ['IPv6 embedded IPv4, six groups', '1:2:3:4:5:6:10.0.0.1'],
    ['IPv6 embedded IPv4 with groups on both sides of ::', '64:ff9b::1:192.0.2.33'],
  ])('accepts %s: %s', (_name, text) => expect(isIpAddress(text)).toBe(true));

  it.each([
    ['empty', ''],
    ['surrounded by spaces', ' 10.0.0.1 '],
    ['IPv4 leading zero', '010.0.0.1'],
    ['IPv4 double zero', '10.00.0.1'],
    ['IPv4 part above 255', '10.0.0.256'],
    ['IPv4 three parts', '10.0.1'],
    ['IPv4 five parts', '10.0.0.1.1'],
    ['IPv4 empty part', '10..0.1'],
    ['IPv4 with port', '10.0.0.1:22'],
    ['IPv4 with prefix', '10.0.0.0/24'],
    ['IPv4 signed part', '10.0.0.+1'],
    ['IPv4 hex part', '0x0a.0.0.1'],
    ['IPv4 non-ASCII digits', '١.٢.٣.٤'],
    ['IPv6 two ::', '1::2::3'],
    ['IPv6 nine groups', '1:2:3:4:5:6:7:8:9'],
    ['IPv6 seven groups without ::', '1:2:3:4:5:6:7'],
    ['IPv6 eight groups and ::', '1:2:3:4:5:6:7::8'],
    ['IPv6 five hex digits', '2001:db8::10000'],
    ['IPv6 non-hex', '2001:db8::g'],
    ['IPv6 leading single colon', ':1:2:3:4:5:6:7'],
    ['IPv6 triple colon', '1:::2'],
    ['IPv6 trailing single colon', '1::2:'],
    ['IPv6 zone id', 'fe80::1%eth0'],
    ['IPv6 brackets', '[::1]'],
    ['IPv6 bracketed with port', '[::1]:22'],
    ['IPv6 with prefix', '2001:db8::/32'],
    ['IPv6 embedded IPv4 too many groups', '1:2:3:4:5:6:7:10.0.0.1'],
    ['IPv6 embedded IPv4 with leading zero', '::ffff:010.0.0.1'],
    ['IPv6 embedded IPv4 not last', '::1.2.3.4:5'],
    ['IPv4 before ::', '1.2.3.4::'],
    ['host name', 'db1.example.com'],
    ['garbage', 'n/a'],
    ['very long', '1'.repeat(10_000)],
  ])('rejects %s: %j', (_name, text) => expect(isIpAddress(text)).toBe(false));
});

describe('isDateTime', () => {
  it.each([
    '2026-03-01T12:00:00.000000+00:00',
    '2025-06-07T14:54:24.264Z',
    '2024-02-29T23:59:59-05:00',
    '2000-02-29T00:00:00Z',
  ])('accepts %s', (text) => expect(isDateTime(text)).toBe(true));
  it.each([
    '2026-03-01',
    '2026-03-01T12:00:00',
    '2026-03-01T12:00Z',
    '2026-03-01 12:00:00Z',
    '2025-02-29T00:00:00Z',
    '1900-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-00-10T00:00:00Z',
    '2026-03-01T24:00:00Z',
    '2026-03-01T12:60:00Z',
    '2026-03-01T12:00:60Z',
    '2026-03-01T12:00:00+0100',
    '2026-03-01T12:00:00+24:00',
    '2026-03-01T12:00:00.Z',
    'yesterday',
  ])('rejects %s', (text) => expect(isDateTime(text)).toBe(false));
});

describe('isDuration', () => {
  it.each(['00:00:00', '23:59:59', '100:30:00'])('accepts %s', (text) => expect(isDuration(text)).toBe(true));
  it.each(['1:00:00', '00:60:00', '00:00:60', '00:00', '00:00:00.5', '-01:00:00', ' 01:00:00'])(
    'rejects %j',
    (text) => expect(isDuration(text)).toBe(false),
  );
});

describe('isEmailAddress', () => {
  it.each(['a@example.com', 'first.last+tag@sub.example.co'])('accepts %s', (text) =>
    expect(isEmailAddress(text)).toBe(true),
  );
  it.each([
    '',
    'a@',
    '@example.com',
    'a@example',
    'a@@example.com',
    'a b@example.com',
    'a@example..com',
    'a@.com',
  ])('rejects %j', (text) => expect(isEmailAddress(text)).toBe(false));
});
