/** The PAM API simulator (docs/upstreams.md §1): state, demo data and the request handler. */
import type { SimHandler } from '../http.js';
import { createRouter } from './router.js';
import type { PamState } from './store.js';

export { createPamState, demoTargets, type PamStateOptions } from './demo.js';
export type { PamState } from './store.js';

export function createPamHandler(state: PamState): SimHandler {
  return createRouter(state);
}
