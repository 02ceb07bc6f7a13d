/**
 * A scripted upstream on 127.0.0.1, port 0, for fault tests: each request takes the next behaviour from a
 * queue (or the fallback once the queue is empty) and may hang, drip, reset, answer any status and body,
 * redirect, or send a huge body. Every request is recorded (method, path, headers, body, connection), and
 * `stop()` closes every socket, hung ones included, so a test never leaves a handle open.
 */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Text a fault body carries so tests can prove no upstream body reaches a client, a message or a log. */
export const FAULT_SECRET = 'sekret-upstream-body-4f1c9a';

export interface RecordedRequest {
  method: string;
  /** Path with its query string, as received. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Which connection carried it (1-based, in order of accept). */
  connection: number;
}

/** What the server does with one request. `signal` aborts when the server stops. */
export type Behaviour = (req: IncomingMessage, res: ServerResponse, signal: AbortSignal) => void;

export interface FaultServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** Connections accepted so far. */
  readonly connections: number;
  /** Connections still open. */
  readonly openSockets: number;
  /** Whether the numbered connection (see `RecordedRequest.connection`) is still open. */
  isOpen(connection: number): boolean;
  /** Queues behaviours, one per coming request, in order. */
  script(...behaviours: Behaviour[]): void;
  /** Behaviour once the queue is empty (default: `json(200, {})`). Also clears the queue. */
  setFallback(behaviour: Behaviour): void;
  /** Forgets requests and queued behaviours. */
  reset(): void;
  stop(): Promise<void>;
}

/** Never answers. */
export const hang = (): Behaviour => () => undefined;

/** Answers with a status, optional headers and a raw body. */
export const reply =
  (status: number, body = '', headers: Record<string, string> = {}): Behaviour =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body);
  };

export const json = (status: number, value: unknown): Behaviour => reply(status, JSON.stringify(value));

/** A 200 whose body is cut-off JSON carrying the secret. */
export const malformed = (): Behaviour => reply(200, `{"detail": "${FAULT_SECRET}", "items": [1, 2`);

/** Closes the connection with a TCP reset, before any response. */
export const reset = (): Behaviour => (req) => req.socket.resetAndDestroy();

/** Sends headers at once, then one byte of a JSON body every `everyMs`, forever (or until stopped). */
export const drip =
  (everyMs: number): Behaviour =>
  (_req, res, signal) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('[');
    const timer = setInterval(() => res.write(' '), everyMs);
    const stop = () => clearInterval(timer);
    res.on('close', stop);
    signal.addEventListener('abort', stop, { once: true });
  };

/** A 200 body of `bytes` bytes of JSON-ish filler, declared by content-length or sent chunked. */
export const huge =
  (bytes: number, options: { contentLength: boolean }): Behaviour =>
  (_req, res) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.contentLength) headers['content-length'] = String(bytes);
    res.writeHead(200, headers);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let left = bytes;
    const pump = () => {
      while (left > 0 && !res.destroyed) {
        const piece = chunk.subarray(0, Math.min(chunk.length, left));
        left -= piece.length;
        if (!res.write(piece)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    pump();
  };

/** A redirect whose HTML body carries the secret. */
export const redirect = (status: 301 | 302 | 307 | 308, location: string): Behaviour =>
  reply(status, `<html>Moved to ${location}: ${FAULT_SECRET}</html>`, {
    location,
    'content-type': 'text/html',
  });

export async function startFaultServer(): Promise<FaultServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Map<Socket, number>();
  const stopping = new AbortController();
  let queue: Behaviour[] = [];
  let fallback: Behaviour = json(200, {});
  let accepted = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        connection: sockets.get(req.socket) ?? 0,
      });
      const behaviour = queue.shift() ?? fallback;
      behaviour(req, res, stopping.signal);
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.set(socket, ++accepted);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get connections() {
      return accepted;
    },
    get openSockets() {
      return sockets.size;
    },
    isOpen: (connection) => [...sockets.values()].includes(connection),
    script: (...behaviours) => queue.push(...behaviours),
    setFallback(behaviour) {
      fallback = behaviour;
      queue = [];
    },
    reset() {
      requests.length = 0;
      queue = [];
    },
    async stop() {
      stopping.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets.keys()) socket.destroy();
      await closed;
    },
  };
}

/** A loopback port that nothing listens on: bound, then closed at once. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
