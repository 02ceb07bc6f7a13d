/**
 * The HTTP shell shared by both simulators: a node:http server that reads the body, waits the configured
 * latency, asks a pure handler for the response, writes it as JSON, and records the exchange.
 * The API logic (routing, validation, state) lives in `pam/` and `audit/` and knows nothing of sockets.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RequestRecord } from './record.js';

/** A request as a simulator handler sees it. */
export interface SimRequest {
  method: string;
  /** Path without the query string, percent-decoding left to the handler. */
  path: string;
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string | string[] | undefined>;
  /** The raw request body ('' when none). */
  body: string;
}

/** A response from a simulator handler: a JSON body, or none (e.g. 204). */
export interface SimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type SimHandler = (request: SimRequest) => SimResponse;

export interface SimServerOptions {
  /** Interface to bind (default `127.0.0.1`). */
  host?: string;
  /** Port to bind; 0 (the default) picks a free one. */
  port?: number;
  /** Added latency in milliseconds before every response (default 0). Changeable with `setLatency`. */
  latencyMs?: number;
  /** Most requests kept in the record (default 50,000). */
  recordLimit?: number;
  /** Largest accepted request body in bytes (default 1 MiB); a larger one gets 413. */
  maxBodyBytes?: number;
  /** Shapes the body of the shell's own 413 and 500 answers in the API's error format (default `{detail}`). */
  errorBody?: (message: string) => unknown;
}

/** A simulator listening on a real socket. */
export interface RunningSim {
  /** Base URL, e.g. `http://127.0.0.1:34567` (no trailing slash). */
  url: string;
  port: number;
  /** Every request received (bounded), for tests and benchmarks. */
  requests: RequestRecord;
  /** Sets the added latency per response, in milliseconds. */
  setLatency(ms: number): void;
  /** Closes the listening socket and every open connection. */
  stop(): Promise<void>;
}

function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve(null);
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, response: SimResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  if (response.body === undefined) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  const payload = JSON.stringify(response.body);
  headers['content-type'] = 'application/json';
  headers['content-length'] = String(Buffer.byteLength(payload));
  res.writeHead(response.status, headers);
  res.end(payload);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Starts a simulator server around a handler. Resolves once it listens. */
export async function startSimServer(
  handler: SimHandler,
  options: SimServerOptions = {},
): Promise<RunningSim> {
  const requests = new RequestRecord(options.recordLimit);
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  let latency = options.latencyMs ?? 0;
  const errorBody = options.errorBody ?? ((message: string) => ({ detail: message }));

  const server: Server = createServer(async (req, res) => {
    const entry = requests.begin(req.method ?? 'GET', req.url ?? '/', req.headers);
    let response: SimResponse;
    try {
      const body = await readBody(req, maxBody);
      if (latency > 0) await sleep(latency);
      if (body === null) {
        response = { status: 413, body: errorBody('Request body too large.') };
      } else {
        const url = new URL(req.url ?? '/', 'http://simulator.invalid');
        response = handler({
          method: (req.method ?? 'GET').toUpperCase(),
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body,
        });
      }
    } catch {
      // A bug in a handler must look like a real server fault, not crash the process.
      response = { status: 500, body: errorBody('Internal simulator error.') };
    }
    if (res.destroyed) return;
    send(res, response);
    requests.finish(entry, response.status);
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  return {
    url: `http://${host}:${port}`,
    port,
    requests,
    setLatency(ms: number) {
      latency = Math.max(0, ms);
    },
    stop() {
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
