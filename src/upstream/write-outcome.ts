/**
 * What the PAM and Audit write clients share: turning a camelCase write DTO into the contract's snake_case
 * body, turning a 400's field paths back into GraphQL input paths (both from one table per DTO, so the two
 * directions cannot drift apart), redacting the DTO's secrets from upstream messages, and mapping the status
 * of a write onto a `WriteOutcome`.
 */
import type { InputIssue, WriteOutcome } from '../write/types.js';
import type { JsonObject } from './decode.js';
import type { HttpMethod } from './http.js';
import type { ScopedUpstream } from './scope.js';
import { errorForStatus } from './status.js';

/**
 * How a DTO maps onto an upstream body. `names` lists every DTO field with its upstream name: only these are
 * ever sent (an allowlist), and a 400 path is translated back through the same table.
 */
export interface BodyShape {
  readonly names: Readonly<Record<string, string>>;
  /** Shapes of nested objects, or of the items of nested lists, keyed by DTO field. */
  readonly nested?: Readonly<Record<string, BodyShape>>;
}

/** An upstream field path with one of its messages, before translation. */
export interface UpstreamIssue {
  path: string;
  message: string;
}

/** Where a call's issues point: the shape of its body and the input path of the body's root. */
export interface IssueTarget {
  shape: BodyShape;
  /** `input` for body endpoints; `''` (the whole call) for argument-style endpoints. */
  root: string;
  /** Values the DTO carried that must not come back out in any message. */
  secrets: readonly string[];
}

/** DRF's key for errors that concern the object (or nested object) as a whole rather than one field. */
const NON_FIELD = 'non_field_errors';
export const REDACTED = '[redacted]';
const GENERIC_MESSAGE = 'The upstream rejected the input as invalid.';

/** Builds the upstream body: renamed fields, `undefined` omitted, `null` kept (it means "clear"). */
export function buildBody(dto: object, shape: BodyShape): JsonObject {
  const values = dto as Readonly<Record<string, unknown>>;
  const body: JsonObject = {};
  for (const [field, upstreamName] of Object.entries(shape.names)) {
    const value = values[field];
    if (value === undefined) continue;
    body[upstreamName] = convertNested(value, shape.nested?.[field]);
  }
  return body;
}

function convertNested(value: unknown, shape: BodyShape | undefined): unknown {
  if (shape === undefined || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => convertNested(item, shape));
  return buildBody(value, shape);
}

export function snakeToCamel(name: string): string {
  return name.replace(/_+([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

/** Translates a dotted upstream path (`accountpasswordchanger_set.0.timeout`) into an input path. */
export function translatePath(upstreamPath: string, shape: BodyShape | undefined, root: string): string {
  const out: string[] = root === '' ? [] : [root];
  let current = shape;
  for (const segment of upstreamPath.split('.')) {
    // `non_field_errors` names no field: the issue is about the object that contains it.
    if (segment === NON_FIELD) continue;
    // List indexes keep the item shape of the list they index.
    if (/^\d+$/.test(segment)) {
      out.push(segment);
      continue;
    }
    const field = current && dtoFieldOf(current, segment);
    out.push(field ?? snakeToCamel(segment));
    current = field === undefined ? undefined : current?.nested?.[field];
  }
  return out.join('.');
}

function dtoFieldOf(shape: BodyShape, upstreamName: string): string | undefined {
  for (const [field, name] of Object.entries(shape.names)) if (name === upstreamName) return field;
  return undefined;
}

/**
 * Replaces every occurrence of every secret with `[redacted]`. One pass over one alternation, longest first,
 * so a secret that contains another is redacted whole and no replacement is scanned again. A secret is also
 * looked for in its JSON-escaped form, in case the upstream quotes the value it echoes.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret === '') continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
  }
  if (forms.size === 0) return text;
  const alternatives = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return text.replace(new RegExp(alternatives.join('|'), 'g'), REDACTED);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The non-empty strings among possibly absent values, for `IssueTarget.secrets`. */
export function presentSecrets(...values: ReadonlyArray<string | null | undefined>): string[] {
  return values.filter((value): value is string => typeof value === 'string' && value !== '');
}

const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads a field → messages map; null when any part is not of that shape. */
export function readFieldMessages(value: unknown): UpstreamIssue[] | null {
  if (!isObject(value)) return null;
  const issues: UpstreamIssue[] = [];
  for (const [path, messages] of Object.entries(value)) {
    if (!isStringList(messages)) return null;
    for (const message of messages) issues.push({ path, message });
  }
  return issues;
}

/** Below this length a secret is too likely to occur in a message by chance to be cut out of it. */
const SHORT_SECRET = 4;

/** Said instead of an upstream message that contains a short secret (substituting it would mangle the text). */
export const WITHHELD_MESSAGE =
  'The upstream rejected this value; its message was withheld because it repeats a submitted secret.';

function occursIn(text: string, secret: string): boolean {
  return text.includes(secret) || text.includes(JSON.stringify(secret).slice(1, -1));
}

/**
 * A path is made of field names, so it is redacted segment by segment, never inside a name: a one-letter
 * secret must not turn `server_id` into `[redacted]erver_id`. A segment is withheld when it contains a
 * long secret or is a short one.
 */
function redactPathSegments(path: string, secrets: readonly string[]): string {
  return path
    .split('.')
    .map((segment) =>
      secrets.some((s) => (s.length >= SHORT_SECRET ? occursIn(segment, s) : segment === s))
        ? REDACTED
        : segment,
    )
    .join('.');
}

function redactMessage(message: string, secrets: readonly string[]): string {
  const long = secrets.filter((s) => s.length >= SHORT_SECRET);
  const redacted = redactSecrets(message, long);
  const short = secrets.filter((s) => s !== '' && s.length < SHORT_SECRET);
  return short.some((s) => occursIn(redacted, s)) ? WITHHELD_MESSAGE : redacted;
}

/** Translated, redacted issues; an unreadable or empty error body becomes one generic issue at the root. */
export function toIssues(upstream: UpstreamIssue[] | null, target: IssueTarget): InputIssue[] {
  if (upstream === null || upstream.length === 0) return [{ path: target.root, message: GENERIC_MESSAGE }];
  return upstream.map((issue) => ({
    path: translatePath(redactPathSegments(issue.path, target.secrets), target.shape, target.root),
    message: redactMessage(issue.message, target.secrets),
  }));
}

export interface WriteCall<T> {
  method: Exclude<HttpMethod, 'GET'>;
  path: string;
  body?: JsonObject;
  /** Decodes a 200/201/204 body (undefined for 204) with the read path's decoder. */
  decode(body: unknown): T;
  /** Turns a 400 body into input issues. */
  issues(body: unknown): InputIssue[];
}

/** Sends a write once (writes are never retried) and maps its status onto a `WriteOutcome`. */
export async function sendWrite<T>(upstream: ScopedUpstream, call: WriteCall<T>): Promise<WriteOutcome<T>> {
  const request = { method: call.method, path: call.path, body: call.body };
  const { status, body } = await upstream.send(request);
  switch (status) {
    case 200:
    case 201:
    case 204:
      return { kind: 'ok', value: call.decode(body) };
    case 400:
      return { kind: 'invalid', issues: call.issues(body) };
    case 403:
      return { kind: 'forbidden' };
    case 404:
      return { kind: 'not_found' };
    default:
      throw errorForStatus(upstream.name, status);
  }
}

/** The outcome of a write whose id cannot name anything upstream: answered without a request. */
export function notFoundWithoutRequest<T>(): Promise<WriteOutcome<T>> {
  return Promise.resolve({ kind: 'not_found' });
}

export const decodeNothing = (): null => null;
