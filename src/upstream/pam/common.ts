/**
 * What every PAM call shares: the page parameters, the decoder, and "list one page" / "get one" calls.
 */
import type { PamRef } from '../../resources/describe.js';
import { Decoder } from '../decode.js';
import type { ScopedUpstream } from '../scope.js';

export type { PamRef } from '../../resources/describe.js';

/** `page`/`page_size` of a PAM collection GET (1-based page, size 1..1000). */
export interface PamPage {
  page: number;
  pageSize: number;
}

/** The PAM API accepts page sizes up to 1,000 (docs/upstreams.md §1.1). */
export const PAM_MAX_PAGE_SIZE = 1000;

// Annotated so that TypeScript treats `fail` (returns never) as ending control flow at call sites.
export const pamDecoder: Decoder = new Decoder('pam');

export function decodeRefList(body: unknown, what: string): PamRef[] {
  return pamDecoder.array(body, what).map((item) => {
    const ref = pamDecoder.ref(item, what);
    if (!ref) pamDecoder.fail(`a malformed ${what}`);
    return ref;
  });
}

/** GETs one page of a collection and decodes each item. */
export async function listPage<T>(
  pam: ScopedUpstream,
  path: string,
  page: PamPage,
  decode: (item: unknown) => T,
  what: string,
): Promise<T[]> {
  const body = await pam.get(path, { page: page.page, page_size: page.pageSize });
  return pamDecoder.array(body, what).map(decode);
}

/** GETs one object; null when the upstream says 404 (absent, or invisible to this caller). */
export async function getOne<T>(pam: ScopedUpstream, path: string, id: number, decode: (item: unknown) => T) {
  // A malformed id cannot exist upstream: answer "absent" without a request.
  if (!Number.isSafeInteger(id) || id < 1) return null;
  const body = await pam.getOrNull(`${path}/${id}`);
  return body === null ? null : decode(body);
}
