/** Gateway-side checks of write inputs, run before any upstream request (see checks.ts for the conventions). */
export type { WriteMode } from './checks.js';
export { isIpAddress } from './formats.js';
export { validateResource } from './resource.js';
