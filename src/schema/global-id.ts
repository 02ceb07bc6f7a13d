/**
 * Opaque global IDs. Other subgraphs store them, so the format carries a version: base64url of
 * `pg1:<Type>:<upstream id>`. A future format gets a new prefix and old IDs stay decodable.
 */
import { GatewayError } from '../errors.js';

const VERSION = 'pg1';

export function encodeGlobalId(typename: string, id: string | number | bigint): string {
  return Buffer.from(`${VERSION}:${typename}:${String(id)}`, 'utf8').toString('base64url');
}

export function decodeGlobalId(globalId: string): { typename: string; id: string } {
  const invalid = () => new GatewayError('BAD_USER_INPUT', 'Not a valid pamgraph ID.');
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(globalId)) throw invalid();
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const match = /^pg1:([A-Za-z]+):(.+)$/.exec(decoded);
  if (!match?.[1] || !match[2]) throw invalid();
  return { typename: match[1], id: match[2] };
}
