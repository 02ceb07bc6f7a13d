/**
 * Maps a window of a collection (offset, count) onto the page/page-size parameters of an upstream that
 * only knows numbered pages. One request when a single page can cover the window; otherwise two
 * consecutive pages of the window's size, fetched together.
 */

export interface PagePlan {
  page: number;
  pageSize: number;
  /** Items of the first page to drop before the window starts. */
  skip: number;
}

/** The smallest page size ≤ `maxPageSize` whose one page covers the window, or null when none does. */
export function singlePageCovering(offset: number, count: number, maxPageSize: number): PagePlan | null {
  for (let size = count; size <= maxPageSize; size++) {
    const first = Math.floor(offset / size);
    if (first === Math.floor((offset + count - 1) / size)) {
      return { page: first + 1, pageSize: size, skip: offset - first * size };
    }
  }
  return null;
}

/** Fetches items [offset, offset + count) with as few upstream pages as possible. */
export async function fetchWindow<T>(
  offset: number,
  count: number,
  maxPageSize: number,
  fetchPage: (page: number, pageSize: number) => Promise<T[]>,
): Promise<T[]> {
  if (count <= 0) return [];
  const plan = singlePageCovering(offset, count, maxPageSize);
  if (plan) {
    const items = await fetchPage(plan.page, plan.pageSize);
    return items.slice(plan.skip, plan.skip + count);
  }
  // count ≤ maxPageSize always (connections cap `first`), so two pages of size `count` cover the window.
  const first = Math.floor(offset / count);
  const [a, b] = await Promise.all([fetchPage(first + 1, count), fetchPage(first + 2, count)]);
  const skip = offset - first * count;
  return [...a, ...b].slice(skip, skip + count);
}

/** Every item of a paged list: pages of `pageSize` one after the other until a short page. */
export async function fetchAllPages<T>(
  pageSize: number,
  fetchPage: (page: number, pageSize: number) => Promise<T[]>,
): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; ; page++) {
    const batch = await fetchPage(page, pageSize);
    items.push(...batch);
    if (batch.length < pageSize) return items;
  }
}
