/** Gateway-side checks of write inputs, run before any upstream request (see checks.ts for the conventions). */
export { validateAccount } from './account.js';
export { validateAuditEntry } from './audit.js';
export type { WriteMode } from './checks.js';
export { isIpAddress } from './formats.js';
export { validateListener, validateSafe, validateServer, validateUser } from './resources.js';
