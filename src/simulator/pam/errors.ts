/** The contract's error bodies, built in one place so every endpoint words them the same way. */
import type { SimResponse } from '../http.js';

export const NOT_FOUND: SimResponse = { status: 404, body: { detail: 'Not found.' } };
export const UNAUTHENTICATED: SimResponse = {
  status: 401,
  body: { detail: 'Authentication credentials were not provided or are invalid.' },
};
export const FORBIDDEN: SimResponse = {
  status: 403,
  body: { detail: 'You do not have permission to perform this action.' },
};
export const MALFORMED: SimResponse = { status: 400, body: { non_field_errors: ['Malformed JSON body.'] } };
export const NO_CONTENT: SimResponse = { status: 204 };

export function methodNotAllowed(method: string, allowed: readonly string[]): SimResponse {
  return {
    status: 405,
    body: { detail: `Method "${method}" not allowed.` },
    headers: { allow: allowed.join(', ') },
  };
}

export const ok = (body: unknown): SimResponse => ({ status: 200, body });
export const created = (body: unknown): SimResponse => ({ status: 201, body });

/** A ValidationErrors body being collected: dotted field path → messages. */
export class ValidationErrors {
  readonly #fields = new Map<string, string[]>();

  add(path: string, message: string): void {
    const list = this.#fields.get(path);
    if (list) list.push(message);
    else this.#fields.set(path, [message]);
  }

  has(path: string): boolean {
    return this.#fields.has(path);
  }

  get empty(): boolean {
    return this.#fields.size === 0;
  }

  response(): SimResponse {
    return { status: 400, body: Object.fromEntries(this.#fields) };
  }
}

export const invalid = (path: string, message: string): SimResponse => {
  const errors = new ValidationErrors();
  errors.add(path, message);
  return errors.response();
};

export type JsonObject = Record<string, unknown>;

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export type BodyResult = { ok: true; value: JsonObject } | { ok: false; response: SimResponse };

/** Parses a request body that must be a JSON object. */
export function parseObjectBody(body: string): BodyResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: false, response: MALFORMED };
  }
  return isObject(parsed) ? { ok: true, value: parsed } : { ok: false, response: MALFORMED };
}
