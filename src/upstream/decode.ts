/**
 * Small runtime readers for upstream JSON. Client modules build their DTOs field by field with these, so
 * only fields we know are ever copied (an allowlist at the boundary), and a body of the wrong shape is an
 * `UPSTREAM_BAD_RESPONSE` instead of a crash deep inside a resolver.
 */
import { GatewayError, type UpstreamName } from '../errors.js';

export type JsonObject = Record<string, unknown>;

export class Decoder {
  constructor(readonly upstream: UpstreamName) {}

  fail(what: string): never {
    const label = this.upstream === 'pam' ? 'PAM' : 'Audit';
    // `what` names a field, never a value: values may be secrets.
    throw new GatewayError('UPSTREAM_BAD_RESPONSE', `The ${label} upstream answered with ${what}.`, {
      upstream: this.upstream,
    });
  }

  object(value: unknown, what: string): JsonObject {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(`a malformed ${what}`);
    return value as JsonObject;
  }

  array(value: unknown, what: string): unknown[] {
    if (!Array.isArray(value)) this.fail(`a malformed ${what} list`);
    return value;
  }

  string(obj: JsonObject, key: string): string {
    const value = obj[key];
    if (typeof value !== 'string') this.fail(`a malformed field "${key}"`);
    return value;
  }

  optionalString(obj: JsonObject, key: string): string | null {
    const value = obj[key];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') this.fail(`a malformed field "${key}"`);
    return value;
  }

  integer(obj: JsonObject, key: string): number {
    const value = obj[key];
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) this.fail(`a malformed field "${key}"`);
    return value;
  }

  optionalInteger(obj: JsonObject, key: string): number | null {
    const value = obj[key];
    if (value === undefined || value === null) return null;
    return this.integer(obj, key);
  }

  boolean(obj: JsonObject, key: string, fallback?: boolean): boolean {
    const value = obj[key];
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'boolean') this.fail(`a malformed field "${key}"`);
    return value;
  }

  oneOf<T extends string>(obj: JsonObject, key: string, allowed: readonly T[]): T {
    const value = this.string(obj, key);
    if (!(allowed as readonly string[]).includes(value)) this.fail(`an unknown value of "${key}"`);
    return value as T;
  }

  /** A `{id, name}` reference the PAM API embeds for a related object. */
  ref(value: unknown, what: string): { id: number; name: string } | null {
    if (value === undefined || value === null) return null;
    const obj = this.object(value, what);
    return { id: this.integer(obj, 'id'), name: this.string(obj, 'name') };
  }
}
