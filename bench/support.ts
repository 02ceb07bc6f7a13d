/**
 * Shared bits of the benchmarks: starting a server in a child process and running autocannon against it.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));

/**
 * Where the comparisons run their processes, when the machine has two CPUs or more and `taskset` (util-linux): the
 * gateways being compared on the last CPU, everything else (this process's load generator and OTLP sink, the
 * simulators) on the others. A process otherwise stays for its life on whichever CPU it started on, and on a shared
 * machine one CPU can be several per cent slower than the other for minutes: that would pass for a difference
 * between the gateways. `BENCH_PIN=off` turns it off.
 */
export interface Pinning {
  gateways: string;
  others: string;
  all: string;
}

export function cpuPinning(): Pinning | undefined {
  const cpus = availableParallelism();
  if (process.env.BENCH_PIN === 'off' || cpus < 2) return undefined;
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  const last = cpus - 1;
  return { gateways: String(last), others: last === 1 ? '0' : `0-${last - 1}`, all: `0-${last}` };
}

/** Moves this process (all its threads) to `cpus`, a `taskset` list. */
export function pinThisProcess(cpus: string): void {
  execFileSync('taskset', ['-a', '-p', '-c', cpus, String(process.pid)], { stdio: 'ignore' });
}

/** Spawns `bench/<script>` with tsx and resolves with the first JSON line it prints. */
export async function spawnServer<T>(
  script: string,
  env: Record<string, string> = {},
  /** Another checkout's bench/ folder to run the script from (a baseline to compare with); default this one. */
  benchDir?: string,
  /** The CPUs it may run on (a `taskset` list); default any. */
  cpus?: string,
): Promise<{ info: T; child: ChildProcess; stop(): Promise<void> }> {
  const path = benchDir ? join(benchDir, script) : fileURLToPath(new URL(script, import.meta.url));
  const [command, args] = cpus ? ['taskset', ['-c', cpus, tsx, path]] : [tsx, [path]];
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const info = await new Promise<T>((resolve, reject) => {
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as T);
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return {
    info,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  /** How long the load ran, in seconds (autocannon's own clock). */
  elapsedSeconds: number;
  non2xx: number;
  errors: number;
  /** 2xx responses whose body carries a GraphQL `errors` list (autocannon alone counts them as successes). */
  graphqlErrors: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  headers?: Record<string, string>;
  method?: 'GET' | 'POST';
  /** Seconds before autocannon gives a request up and counts it as an error (default 10). */
  timeoutSeconds?: number;
  /** Builds the path (and body, and extra headers) of each request; called once per request. */
  next: () => { path: string; body?: string; headers?: Record<string, string> };
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    headers: options.headers,
    method: options.method ?? 'GET',
    timeout: options.timeoutSeconds ?? 10,
    // A GraphQL error arrives with status 200: a body with a top-level `errors` list counts as a mismatch.
    verifyBody: (body) => !/^\{"errors":|,"errors":\[/.test(String(body ?? '')),
    requests: [
      {
        setupRequest: (req) => {
          const { path, body, headers } = options.next();
          const withHeaders = headers ? { ...req, headers: { ...req.headers, ...headers } } : req;
          return body === undefined ? { ...withHeaders, path } : { ...withHeaders, path, body };
        },
      },
    ],
  });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total: result.requests.total,
    elapsedSeconds: result.duration,
    non2xx: result.non2xx,
    errors: result.errors,
    graphqlErrors: result.mismatches,
  };
}

/** Prints rows as a Markdown table, ready to paste into the README's performance section. */
export function printTable(title: string, rows: Array<Record<string, string | number>>): void {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const line = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
  console.info(`\n${title}\n`);
  console.info(line(columns));
  console.info(line(columns.map(() => '---')));
  for (const row of rows) console.info(line(columns.map((c) => row[c] ?? '')));
}
