/**
 * Shared bits of the benchmarks: starting a server in a child process and running autocannon against it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));

/** Spawns `bench/<script>` with tsx and resolves with the first JSON line it prints. */
export async function spawnServer<T>(
  script: string,
  env: Record<string, string> = {},
  /** Another checkout's bench/ folder to run the script from (a baseline to compare with); default this one. */
  benchDir?: string,
): Promise<{ info: T; child: ChildProcess; stop(): Promise<void> }> {
  const path = benchDir ? join(benchDir, script) : fileURLToPath(new URL(script, import.meta.url));
  const child = spawn(tsx, [path], {
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
