/**
 * `npm run bench`: runs every benchmark and prints its numbers. Benchmarks are measurements, never assertions.
 * `BENCH_DURATION` (seconds per measurement, default 10) shortens or lengthens the run.
 */
import { benchSimulator } from './simulator.js';

const duration = Number(process.env.BENCH_DURATION ?? '10');
console.info(`node ${process.version}, ${duration} s per measurement`);
await benchSimulator(duration);
