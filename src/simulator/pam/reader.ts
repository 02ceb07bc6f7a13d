/**
 * Typed, strict readers for the fields of a JSON request body. Each reader records a ValidationError under
 * the field's dotted path and returns `undefined` when the value is absent or wrong, so a resource parser can
 * read every field in one pass and report all problems at once. `null` is returned only for nullable fields.
 */
import { isIP } from 'node:net';
import { isObject, type JsonObject, type ValidationErrors } from './errors.js';
import { isTime, normalizeTimestamp } from './time.js';

export interface FieldOptions {
  required?: boolean;
  nullable?: boolean;
}

export interface StringOptions extends FieldOptions {
  min?: number;
  max?: number;
  format?: 'ip' | 'email' | 'time' | 'timestamp';
}

export interface IntegerOptions extends FieldOptions {
  min?: number;
  max?: number;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const REQUIRED = 'This field is required.';

type Raw = { kind: 'absent' } | { kind: 'null' } | { kind: 'value'; value: unknown };

export class FieldReader {
  constructor(
    readonly data: JsonObject,
    readonly errors: ValidationErrors,
    readonly prefix = '',
  ) {}

  path(key: string): string {
    return this.prefix ? `${this.prefix}.${key}` : key;
  }

  has(key: string): boolean {
    return this.data[key] !== undefined;
  }

  fail(key: string, message: string): undefined {
    this.errors.add(this.path(key), message);
    return undefined;
  }

  /** Handles presence and null the same way for every type; `undefined` means "stop, nothing to read". */
  #raw(key: string, options: FieldOptions): Raw | undefined {
    const value = this.data[key];
    if (value === undefined) return options.required ? this.fail(key, REQUIRED) : { kind: 'absent' };
    if (value === null) {
      if (options.nullable) return { kind: 'null' };
      return this.fail(key, 'This field may not be null.');
    }
    return { kind: 'value', value };
  }

  string(key: string, options: StringOptions = {}): string | null | undefined {
    const raw = this.#raw(key, options);
    if (raw?.kind !== 'value') return raw?.kind === 'null' ? null : undefined;
    if (typeof raw.value !== 'string') return this.fail(key, 'Not a valid string.');
    return this.#checkString(key, raw.value, options);
  }

  #checkString(key: string, value: string, options: StringOptions): string | undefined {
    if (value.length === 0 && (options.min ?? 0) > 0) return this.fail(key, 'This field may not be blank.');
    if (options.max !== undefined && value.length > options.max) {
      return this.fail(key, `Ensure this field has no more than ${options.max} characters.`);
    }
    switch (options.format) {
      case 'ip':
        return isIP(value) ? value : this.fail(key, 'Enter a valid IPv4 or IPv6 address.');
      case 'email':
        return EMAIL.test(value) ? value : this.fail(key, 'Enter a valid email address.');
      case 'time':
        return isTime(value)
          ? value
          : this.fail(key, 'Time has wrong format. Use this format instead: hh:mm:ss.');
      case 'timestamp':
        return (
          normalizeTimestamp(value) ??
          this.fail(key, 'Datetime has wrong format. Use ISO 8601 with an offset.')
        );
      default:
        return value;
    }
  }

  integer(key: string, options: IntegerOptions = {}): number | null | undefined {
    const raw = this.#raw(key, options);
    if (raw?.kind !== 'value') return raw?.kind === 'null' ? null : undefined;
    const value = raw.value;
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      return this.fail(key, 'A valid integer is required.');
    }
    if (options.min !== undefined && value < options.min) {
      return this.fail(key, `Ensure this value is greater than or equal to ${options.min}.`);
    }
    if (options.max !== undefined && value > options.max) {
      return this.fail(key, `Ensure this value is less than or equal to ${options.max}.`);
    }
    return value;
  }

  boolean(key: string): boolean | undefined {
    const raw = this.#raw(key, {});
    if (raw?.kind !== 'value') return undefined;
    return typeof raw.value === 'boolean' ? raw.value : this.fail(key, 'Must be a valid boolean.');
  }

  choice<T extends string>(
    key: string,
    values: readonly T[],
    options: FieldOptions = {},
  ): T | null | undefined {
    const raw = this.#raw(key, options);
    if (raw?.kind !== 'value') return raw?.kind === 'null' ? null : undefined;
    const found = values.find((v) => v === raw.value);
    return found ?? this.fail(key, `"${String(raw.value)}" is not a valid choice.`);
  }

  object(key: string, options: FieldOptions = {}): JsonObject | null | undefined {
    const raw = this.#raw(key, options);
    if (raw?.kind !== 'value') return raw?.kind === 'null' ? null : undefined;
    return isObject(raw.value) ? raw.value : this.fail(key, 'Invalid data. Expected a dictionary.');
  }

  array(key: string): unknown[] | undefined {
    const raw = this.#raw(key, {});
    if (raw?.kind !== 'value') return undefined;
    return Array.isArray(raw.value) ? raw.value : this.fail(key, 'Expected a list of items.');
  }

  /** A reader for a nested object, reporting under `prefix.key`. */
  nested(key: string, data: JsonObject): FieldReader {
    return new FieldReader(data, this.errors, this.path(key));
  }
}
