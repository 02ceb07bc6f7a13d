/**
 * The five calls every mutable collection shares (list, create, get, PUT/PATCH, delete). Each collection
 * supplies a `Resource` describing its parsing, serialization and delete rules; the HTTP semantics of
 * docs/upstreams.md §1.1 (status codes, PUT replaces, PATCH merges, immutable fields, unique names) live here once.
 */
import type { SimResponse } from '../http.js';
import { type Context, parseId } from './context.js';
import {
  created,
  isObject,
  type JsonObject,
  NO_CONTENT,
  NOT_FOUND,
  ok,
  parseObjectBody,
  ValidationErrors,
} from './errors.js';
import { applyWindow, pageWindow } from './pagination.js';
import { FieldReader } from './reader.js';
import type { PamState, Table } from './store.js';
import type { Row } from './types.js';

export interface Resource<T extends Row> {
  table(state: PamState): Table<T>;
  /** Subject of the uniqueness message, e.g. "A server". */
  article: string;
  /** JSON names of fields that may be set on create only. */
  immutable: readonly string[];
  /** Nested objects that PATCH merges field by field instead of replacing. */
  mergeNested: readonly string[];
  /** Validates a whole body (create, PUT, or PATCH merged onto the stored object) into a row. */
  parse(state: PamState, reader: FieldReader, existing: T | undefined): Omit<T, 'id'>;
  /** The stored row as a request body, write-only fields included, so PATCH can merge onto it. */
  toInput(row: T): JsonObject;
  serialize(state: PamState, row: T): unknown;
  visible?(ctx: Context, row: T): boolean;
  /** A reason the row may not be deleted, reported under non_field_errors. */
  checkDelete?(state: PamState, row: T): string | undefined;
  afterDelete?(state: PamState, row: T): void;
}

/** The part of a Resource the read-only calls need; password change policies have only this. */
export type Readable<T extends Row> = Pick<Resource<T>, 'table' | 'serialize' | 'visible'>;

function find<T extends Row>(resource: Readable<T>, ctx: Context): T | undefined {
  const id = parseId(ctx.params[0]);
  const row = id === undefined ? undefined : resource.table(ctx.state).get(id);
  if (!row) return undefined;
  return !resource.visible || resource.visible(ctx, row) ? row : undefined;
}

function checkName<T extends Row>(resource: Resource<T>, ctx: Context, reader: FieldReader, id?: number) {
  const name = reader.data.name;
  if (typeof name === 'string' && resource.table(ctx.state).nameTaken(name, id)) {
    reader.fail('name', `${resource.article} with this name already exists.`);
  }
}

/** Runs the parser and the name check together so one 400 lists every problem. */
function validate<T extends Row>(
  resource: Resource<T>,
  ctx: Context,
  input: JsonObject,
  existing?: T,
  errors = new ValidationErrors(),
) {
  const reader = new FieldReader(input, errors);
  const row = resource.parse(ctx.state, reader, existing);
  checkName(resource, ctx, reader, existing?.id);
  return { errors, row };
}

export function listRows<T extends Row>(resource: Readable<T>, ctx: Context): SimResponse {
  const window = pageWindow(ctx.request.query);
  if (window instanceof ValidationErrors) return window.response();
  const rows = resource.visible
    ? resource
        .table(ctx.state)
        .list()
        .filter((row) => resource.visible?.(ctx, row))
    : resource.table(ctx.state).list();
  return ok(applyWindow(rows, window).map((row) => resource.serialize(ctx.state, row)));
}

export function getRow<T extends Row>(resource: Readable<T>, ctx: Context): SimResponse {
  const row = find(resource, ctx);
  return row ? ok(resource.serialize(ctx.state, row)) : NOT_FOUND;
}

export function createRow<T extends Row>(resource: Resource<T>, ctx: Context): SimResponse {
  const body = parseObjectBody(ctx.request.body);
  if (!body.ok) return body.response;
  const { errors, row } = validate(resource, ctx, body.value);
  if (!errors.empty) return errors.response();
  const inserted = resource.table(ctx.state).insert(row);
  return created(resource.serialize(ctx.state, inserted));
}

function patchInput(stored: JsonObject, body: JsonObject, nested: readonly string[]): JsonObject {
  const input: JsonObject = { ...stored, ...body };
  for (const key of nested) {
    const before = stored[key];
    const given = body[key];
    if (isObject(before) && isObject(given)) input[key] = { ...before, ...given };
  }
  return input;
}

function checkImmutable<T extends Row>(resource: Resource<T>, stored: JsonObject, body: JsonObject) {
  const errors = new ValidationErrors();
  for (const key of resource.immutable) {
    if (body[key] !== undefined && body[key] !== stored[key])
      errors.add(key, 'This field cannot be changed.');
  }
  return errors;
}

export function updateRow<T extends Row>(resource: Resource<T>, ctx: Context, merge: boolean): SimResponse {
  const body = parseObjectBody(ctx.request.body);
  if (!body.ok) return body.response;
  const existing = find(resource, ctx);
  if (!existing) {
    // Validation comes before the unknown-id 404 (§1.1 order of checks). A PATCH cannot be judged without
    // the object it patches, so only its JSON shape is checked.
    if (merge) return NOT_FOUND;
    const { errors } = validate(resource, ctx, body.value);
    return errors.empty ? NOT_FOUND : errors.response();
  }
  const stored = resource.toInput(existing);
  const input = merge ? patchInput(stored, body.value, resource.mergeNested) : body.value;
  const immutable = checkImmutable(resource, stored, body.value);
  const { errors, row } = validate(resource, ctx, input, existing, immutable);
  if (!errors.empty) return errors.response();
  const updated = { ...row, id: existing.id } as T;
  resource.table(ctx.state).replace(updated);
  return ok(resource.serialize(ctx.state, updated));
}

export function deleteRow<T extends Row>(resource: Resource<T>, ctx: Context): SimResponse {
  const row = find(resource, ctx);
  if (!row) return NOT_FOUND;
  const problem = resource.checkDelete?.(ctx.state, row);
  if (problem) return { status: 400, body: { non_field_errors: [problem] } };
  resource.table(ctx.state).delete(row.id);
  resource.afterDelete?.(ctx.state, row);
  return NO_CONTENT;
}
