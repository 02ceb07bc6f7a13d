/** What every endpoint handler receives once routing, authentication and the role check have passed. */
import type { SimRequest, SimResponse } from '../http.js';
import type { PamState } from './store.js';
import type { User } from './types.js';

export interface Context {
  state: PamState;
  user: User;
  request: SimRequest;
  /** Path parameters in order, e.g. `[account_id, user_id]`; raw strings, validated by `parseId`. */
  params: string[];
}

export type Endpoint = (ctx: Context) => SimResponse;

/** A path id: a positive integer in decimal. Anything else names no object, so it reads as unknown (404). */
export function parseId(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^[1-9]\d{0,15}$/.test(raw)) return undefined;
  return Number(raw);
}
