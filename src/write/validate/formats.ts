/**
 * Text formats the upstream contract names (docs/upstreams.md §1.1, §1.5, §1.7, §1.8, §2.3), checked strictly:
 * the gateway must not let through what the upstream would refuse, and must not refuse what it accepts.
 */
import { parseIp } from '../../match/ip.js';

/**
 * Exactly an IPv4 dotted quad (no leading zeros: `010` means 8 to inet_aton) or an IPv6 address in an
 * RFC 4291 text form, with nothing around it. The same strict parser decides audit-entry matching
 * (src/match/ip.ts), so what a write accepts is exactly what matching understands.
 */
export function isIpAddress(text: string): boolean {
  return typeof text === 'string' && parseIp(text) !== null;
}

/** Length as the upstream counts it: code points, so an emoji is one character, not two UTF-16 units. */
export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-](\d{2}):(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * An ISO 8601 date-time in the RFC 3339 profile: seconds required, an offset required (the contract's
 * timestamps always carry one, and a local time would be read in whatever zone the upstream runs in).
 * Calendar-checked: no 30 February, no hour 24, no leap second.
 */
export function isDateTime(text: string): boolean {
  const match = DATE_TIME.exec(text);
  if (match === null) return false;
  const [year, month, day, hour, minute, second, offsetHour = 0, offsetMinute = 0] = match
    .slice(1)
    .map((part) => (part === undefined ? undefined : Number(part)));
  if (year === undefined || month === undefined || day === undefined) return false;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  return (
    (hour ?? 24) < 24 && (minute ?? 60) < 60 && (second ?? 60) < 60 && offsetHour < 24 && offsetMinute < 60
  );
}

/** `hh:mm:ss` as the contract's Time fields: hours may exceed 23 (it is a duration), minutes and seconds 00..59. */
export function isDuration(text: string): boolean {
  return /^\d{2,}:[0-5]\d:[0-5]\d$/.test(text);
}

/**
 * "Looks like an e-mail address": one `@`, a local part and a dotted domain, no whitespace. Deliberately
 * loose beyond that; the upstream and the mail system are the authorities on deliverability.
 */
export function isEmailAddress(text: string): boolean {
  return /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/.test(text);
}
