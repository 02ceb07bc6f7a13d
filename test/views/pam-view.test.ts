/**
 * The shared view of one PAM collection (src/views/pam-view.ts), on a fake clock and a fake upstream that counts
 * its lists: freshness, one sync for every concurrent waiter, syncs that outlive a waiter, writes.
 */
import { describe, expect, it } from 'vitest';
import { PamView } from '../../src/views/pam-view.js';

interface Item {
  id: number;
  name: string;
}

function fakeUpstream(initial: Item[]) {
  let items = initial;
  let lists = 0;
  const pending: Array<() => void> = [];
  return {
    set(next: Item[]) {
      items = next;
    },
    get lists() {
      return lists;
    },
    /** Holds every list until `release` (to observe waiters). */
    hold: false,
    release() {
      for (const resolve of pending.splice(0)) resolve();
    },
    fetchAll(this: { hold: boolean }, signal: AbortSignal): Promise<Item[]> {
      lists++;
      const snapshot = items;
      if (!this.hold) return Promise.resolve(snapshot);
      return new Promise((resolve, reject) => {
        pending.push(() => resolve(snapshot));
        signal.addEventListener('abort', () => reject(signal.reason));
      });
    },
  };
}

function setup(initial: Item[], maxAgeMs = 5000) {
  let now = 0;
  const upstream = fakeUpstream(initial);
  const view = new PamView<Item>({
    fetchAll: (signal) => upstream.fetchAll(signal),
    maxAgeMs,
    syncTimeoutMs: 10_000,
    now: () => now,
  });
  return { view, upstream, advance: (ms: number) => (now += ms) };
}

describe('PamView', () => {
  it('serves one list to every request within the max age, then lists again', async () => {
    const { view, upstream, advance } = setup([
      { id: 2, name: 'b' },
      { id: 1, name: 'a' },
    ]);
    const first = await view.snapshot();
    expect(first.items.map((i) => i.id)).toEqual([1, 2]);
    expect(first.byId.get(2)?.name).toBe('b');
    advance(1000);
    await view.snapshot();
    expect(upstream.lists).toBe(1);
    upstream.set([{ id: 1, name: 'a2' }]);
    advance(4000); // 5,000 ms since the sync started: too old
    const next = await view.snapshot();
    expect(upstream.lists).toBe(2);
    expect(next.items).toEqual([{ id: 1, name: 'a2' }]);
  });

  it('refreshes ahead of expiry in the background, answering from the current snapshot meanwhile', async () => {
    const { view, upstream, advance } = setup([{ id: 1, name: 'a' }]);
    await view.snapshot();
    upstream.set([{ id: 1, name: 'changed' }]);
    advance(4000); // past three quarters of the max age
    expect((await view.snapshot()).items[0]?.name).toBe('a');
    await Promise.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(upstream.lists).toBe(2);
    expect((await view.snapshot()).items[0]?.name).toBe('changed');
  });

  it('100 concurrent cold requests cause one list, and all of them get it', async () => {
    const { view, upstream } = setup([{ id: 1, name: 'a' }]);
    upstream.hold = true;
    const waiters = Array.from({ length: 100 }, () => view.snapshot());
    upstream.release();
    const snapshots = await Promise.all(waiters);
    expect(upstream.lists).toBe(1);
    expect(new Set(snapshots).size).toBe(1);
  });

  it('a failed sync fails its waiters, and the next request tries again', async () => {
    let calls = 0;
    const view = new PamView<Item>({
      fetchAll: () =>
        ++calls === 1 ? Promise.reject(new Error('down')) : Promise.resolve([{ id: 1, name: 'a' }]),
      maxAgeMs: 5000,
      syncTimeoutMs: 1000,
      now: () => 0,
    });
    await expect(view.snapshot()).rejects.toThrow('down');
    expect((await view.snapshot()).items).toHaveLength(1);
    expect(calls).toBe(2);
  });

  it('a sync past its deadline is aborted and fails, whoever waits', async () => {
    const upstream = fakeUpstream([{ id: 1, name: 'a' }]);
    upstream.hold = true;
    const view = new PamView<Item>({
      fetchAll: (signal) => upstream.fetchAll(signal),
      maxAgeMs: 5000,
      syncTimeoutMs: 20,
    });
    await expect(view.snapshot()).rejects.toThrow('view sync timed out');
  });

  it('the writer sees its own write at once; invalidate makes the next request wait for the upstream', async () => {
    const { view, upstream } = setup([
      { id: 1, name: 'a' },
      { id: 3, name: 'c' },
    ]);
    await view.snapshot();
    view.put({ id: 2, name: 'b' });
    view.put({ id: 3, name: 'c2' });
    view.remove(1);
    expect((await view.snapshot()).items).toEqual([
      { id: 2, name: 'b' },
      { id: 3, name: 'c2' },
    ]);
    expect(upstream.lists).toBe(1);
    view.invalidate();
    expect((await view.snapshot()).items).toEqual([
      { id: 1, name: 'a' },
      { id: 3, name: 'c' },
    ]);
    expect(upstream.lists).toBe(2);
  });

  it('a sync that started before an invalidation does not install its older result', async () => {
    const { view, upstream } = setup([{ id: 1, name: 'old' }]);
    upstream.hold = true;
    const early = view.snapshot();
    view.invalidate();
    upstream.set([{ id: 1, name: 'new' }]);
    const late = view.snapshot();
    upstream.release();
    expect((await early).items[0]?.name).toBe('old');
    expect((await late).items[0]?.name).toBe('new');
    upstream.hold = false;
    expect((await view.snapshot()).items[0]?.name).toBe('new');
    expect(upstream.lists).toBe(2);
  });

  it('never answers with a snapshot already older than the max age: one more sync, then an error', async () => {
    let now = 0;
    let lists = 0;
    let slow = 2;
    const view = new PamView<Item>({
      // A list that takes 6 s on the view's clock while `slow` lasts.
      fetchAll: async () => {
        lists++;
        if (slow-- > 0) now += 6000;
        return [{ id: 1, name: 'a' }];
      },
      maxAgeMs: 5000,
      syncTimeoutMs: 60_000,
      now: () => now,
    });
    await expect(view.snapshot()).rejects.toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
    expect(lists).toBe(2);
    // Fast again: the next request gets a fresh snapshot.
    expect((await view.snapshot()).items).toHaveLength(1);
    expect(lists).toBe(3);
  });
});
