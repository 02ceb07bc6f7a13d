/**
 * Value-based matching of audit entries to PAM servers and accounts (docs/upstreams.md §3). Pure functions
 * and per-request indexes; no I/O. Decisions where §3 is silent are documented next to the code that
 * makes them (ip.ts: address syntax; server.ts: masks, protocols; account.ts: device_account readings).
 */
export {
  AccountIndex,
  accountMatchesEntry,
  type DeviceAccountReading,
  parseDeviceAccount,
  readingMatches,
} from './account.js';
export { type ParsedIp, parseIp } from './ip.js';
export { SERVER_PROTOCOLS, ServerIndex, serverMatchesEntry } from './server.js';
export type { MatchAccount, MatchEntry, MatchServer } from './types.js';
