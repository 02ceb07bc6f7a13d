/** Typed client of the PAM API (docs/upstreams.md §1): the collections, and the two relations written apart. */
export * from './collections.js';
export * from './common.js';
export * from './links.js';
