import type { RecordedRequest } from '../../src/simulator/index.js';

/**
 * Sequential waves among recorded requests: the longest chain in which each request started only after the
 * previous one had ended. Requests sent together (same wave) overlap, so they never chain.
 */
export function countWaves(requests: readonly RecordedRequest[]): number {
  const sorted = [...requests].sort((a, b) => a.startedAt - b.startedAt);
  const depth: number[] = [];
  let max = 0;
  sorted.forEach((request, i) => {
    let d = 1;
    for (let j = 0; j < i; j++) {
      const before = sorted[j] as RecordedRequest;
      if (before.endedAt <= request.startedAt) d = Math.max(d, (depth[j] ?? 0) + 1);
    }
    depth[i] = d;
    max = Math.max(max, d);
  });
  return max;
}
