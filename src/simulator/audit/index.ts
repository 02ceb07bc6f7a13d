/**
 * The Audit API simulator (Infraon NCCM "Jobs Account Audit", docs/upstreams.md §2): what the simulator facade
 * (`../index.ts`) needs, and nothing else.
 */
export { createAuditHandler } from './router.js';
export { type AuditState, createAuditState } from './state.js';
