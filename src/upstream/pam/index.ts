/** Typed client of the PAM API (docs/upstreams.md §1): one function per endpoint, one file per collection. */
export * from './accounts.js';
export * from './common.js';
export * from './listeners.js';
export * from './safes.js';
export * from './servers.js';
export * from './users.js';
export * from './writes.js';
