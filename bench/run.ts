/**
 * `npm run bench`: runs every benchmark and prints its numbers. `BENCH_ONLY=load` runs the load mix alone
 * (`BENCH_LOAD_DURATION`, default 60 s; `BENCH_LOAD_CONNECTIONS`, default 200); `BENCH_ONLY=reconnect` new clients
 * arriving at once while the mix saturates the gateway, admission's time slice off and on; `BENCH_ONLY=views` the
 * views' warm single operations and their scale scenario (`BENCH_SCALE_ENTRIES`, default 200,000; `BENCH_SCALE_ACCOUNTS`,
 * default 20,000); `BENCH_ONLY=feed` the live audit feed with 1, 100 and `BENCH_FEED_SUBSCRIBERS` (default 1,000)
 * subscribers for `BENCH_FEED_SECONDS` (default 20); `BENCH_ONLY=observability` the reference queries with metrics
 * and traces on (exported to a local OTLP sink) against both off, and a second gateway with both off as the control
 * (its defaults: `BENCH_BLOCKS=4` fresh sets of gateway processes per query, `BENCH_ROUNDS=5` rounds of
 * `BENCH_DURATION=1` s in each); `BENCH_ONLY=tracing-toggle` (not in the full run) what the traces cost one process,
 * switched off and on between phases (`BENCH_ROUNDS=6` pairs of `BENCH_DURATION=2` s phases in `BENCH_BLOCKS=2`
 * processes). Benchmarks are measurements, never assertions.
 * `BENCH_DURATION` (seconds per measurement, default 10) shortens or lengthens the run; `BENCH_ROUNDS` (default 3)
 * sets how often each on/off pair is measured; `BENCH_ONLY=simulator` or `BENCH_ONLY=gateway` runs one part;
 * `BENCH_QUERIES=<text>` keeps the gateway queries whose name contains it. `BENCH_BASELINE=<checkout>` compares
 * this tree's gateway with another checkout's (e.g. `git worktree add /tmp/before <commit>` with its own
 * `npm ci`), instead of protections on and off.
 */
import { benchFeed } from './feed.js';
import { benchGateway, benchTracingToggle } from './gateway.js';
import { benchLoadMix, benchReconnect } from './load-mix.js';
import { benchSimulator } from './simulator.js';
import { benchScale, benchWarm } from './views.js';

const duration = Number(process.env.BENCH_DURATION ?? '10');
const rounds = Number(process.env.BENCH_ROUNDS ?? '3');
const only = process.env.BENCH_ONLY;
// The observability comparisons have defaults of their own, given in their tables' titles.
console.info(
  only === 'observability' || only === 'tracing-toggle'
    ? `node ${process.version}`
    : `node ${process.version}, ${duration} s per measurement, ${rounds} rounds of on/off comparisons`,
);
if (!only || only === 'simulator') await benchSimulator(duration);
if (!only || only === 'gateway')
  await benchGateway(duration, rounds, process.env.BENCH_QUERIES, process.env.BENCH_BASELINE);
if (!only || only === 'observability') {
  // Many short rounds over several fresh sets of processes by default: this machine's speed drifts over seconds, and
  // two processes of one build can differ by several per cent for their whole life; the median of many back-to-back
  // comparisons (with a control pair of two plain gateways) resolves a few per cent where a few long rounds cannot.
  await benchGateway(
    Number(process.env.BENCH_DURATION ?? '1'),
    Number(process.env.BENCH_ROUNDS ?? '5'),
    process.env.BENCH_QUERIES,
    undefined,
    'observability',
    Number(process.env.BENCH_BLOCKS ?? '4'),
  );
}
if (only === 'tracing-toggle') {
  // Not part of the full run: the same process with its traces switched off and on between phases.
  await benchTracingToggle(
    Number(process.env.BENCH_DURATION ?? '2'),
    Number(process.env.BENCH_ROUNDS ?? '6'),
    Number(process.env.BENCH_BLOCKS ?? '2'),
    process.env.BENCH_QUERIES,
  );
}
if (!only || only === 'load') {
  const loadDuration = Number(process.env.BENCH_LOAD_DURATION ?? '60');
  const connections = Number(process.env.BENCH_LOAD_CONNECTIONS ?? '200');
  const modes = { 'VIEWS=off': { VIEWS: 'off' }, 'views on (default)': {} };
  for (const spreadScopes of [false, true])
    await benchLoadMix({ durationSeconds: loadDuration, connections, latencyMs: 20, modes, spreadScopes });
}
if (!only || only === 'reconnect') {
  // The time slice of admission on and off, over the same simulators.
  const modes = { 'ADMISSION_TURN_MS=0': { ADMISSION_TURN_MS: '0' }, 'default (5 ms)': {} };
  const connections = Number(process.env.BENCH_LOAD_CONNECTIONS ?? '200');
  await benchReconnect({
    warmSeconds: 10,
    durationSeconds: 20,
    connections,
    latencyMs: 20,
    modes,
    spreadScopes: false,
  });
}
if (!only || only === 'views') {
  await benchWarm(duration, rounds);
  await benchScale(
    Number(process.env.BENCH_SCALE_ENTRIES ?? '200000'),
    Number(process.env.BENCH_SCALE_ACCOUNTS ?? '20000'),
  );
}
if (!only || only === 'feed') {
  await benchFeed(
    Number(process.env.BENCH_FEED_SECONDS ?? '20'),
    Number(process.env.BENCH_FEED_SUBSCRIBERS ?? '1000'),
  );
}
