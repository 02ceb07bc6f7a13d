/**
 * What the PAM and Audit write clients share: sending a write once, mapping its status onto a `WriteOutcome`,
 * and turning a 400's field messages into input issues (paths translated by src/upstream/body.ts, every
 * secret the write carried redacted).
 */
import type { AnyResource } from '../resources/describe.js';
import type { InputIssue, WriteOutcome } from '../write/types.js';
import { translatePath } from './body.js';
import type { JsonObject } from './decode.js';
import type { HttpMethod } from './http.js';
import type { ScopedUpstream } from './scope.js';
import { errorForStatus } from './status.js';

/** An upstream field path with one of its messages, before translation. */
export interface UpstreamIssue {
  path: string;
  message: string;
}

/** Where a call's issues point: the resource its body describes and the input path of the body's root. */
export interface IssueTarget {
  resource: AnyResource;
  /** `input` for body endpoints; `''` (the whole call) for argument-style endpoints. */
  root: string;
  /** Values the write carried that must not come back out in any message. */
  secrets: readonly string[];
}

export const REDACTED = '[redacted]';
const GENERIC_MESSAGE = 'The upstream rejected the input as invalid.';

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
    path: translatePath(redactPathSegments(issue.path, target.secrets), target.resource, target.root),
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
