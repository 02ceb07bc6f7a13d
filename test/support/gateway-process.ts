/**
 * The gateway as an operator runs it: `src/main.ts` in a real process (Node with tsx's loader, so that the process
 * signals reach and `kill` stops is the gateway itself, not a tsx wrapper that would leave it orphaned), with only the
 * environment it is given. Tests read what it prints, send it signals and wait for its exit code; `killGatewayProcesses` (in an
 * `afterEach`) kills whatever a test left running.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const children: ChildProcess[] = [];

export interface GatewayProcess {
  child: ChildProcess;
  /** The GraphQL URL it printed once listening. */
  ready: Promise<string>;
  /** The metrics URL it printed (when metrics are on). */
  metricsUrl: Promise<string>;
  /** Its exit code (null when a signal killed it). */
  exited: Promise<number | null>;
  /** Everything it printed so far, stdout then stderr. */
  output(): string;
}

/**
 * Runs `command` (default: `node --import tsx src/main.ts` in the repository) with `env` over a minimal PATH and HOME. The metrics
 * listener takes any free port unless `env` says otherwise, so that processes of parallel tests do not collide.
 */
export function startGatewayProcess(
  env: Record<string, string>,
  command: { file: string; args: string[]; cwd: string } = {
    file: process.execPath,
    args: ['--import', 'tsx', 'src/main.ts'],
    cwd: root,
  },
): GatewayProcess {
  const child = spawn(command.file, command.args, {
    cwd: command.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', METRICS_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in 20 s:\n${stdout}\n${stderr}`)), 20_000);
    child.stdout?.on('data', () => {
      const match = /pamgraph ready: .*? at (http:\/\/\S+?\/graphql)/.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then(() => reject(new Error(`exited early:\n${stdout}\n${stderr}`)));
  });
  // Tests of failed start-ups never await `ready`; its rejection is expected there, not an unhandled error.
  ready.catch(() => undefined);
  const metricsUrl = ready.then(() => {
    const match = /"metricsUrl":"(http:\/\/[^"]+)"/.exec(stdout);
    if (!match?.[1]) throw new Error(`no metrics URL printed:\n${stdout}`);
    return match[1];
  });
  metricsUrl.catch(() => undefined);
  return { child, ready, metricsUrl, exited, output: () => stdout + stderr };
}

export function killGatewayProcesses(): void {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
}
