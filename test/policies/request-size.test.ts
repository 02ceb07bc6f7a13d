/**
 * MAX_REQUEST_BYTES over a real socket: a body over the limit is refused with 413 and REQUEST_TOO_LARGE,
 * whether it announces its length or arrives chunked without one, and no upstream request is sent.
 */
import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/stack.js';

const LIMIT = 4096;
let stack: Stack;
let server: Server;
let port: number;

beforeAll(async () => {
  stack = await startStack({ settings: { maxRequestBytes: LIMIT } });
  server = createServer(stack.gateway.yoga);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await stack.stop();
});
beforeEach(() => stack.resetRecords());

/** A JSON body of about `size` bytes: a real mutation, padded with a long variable. */
function bodyOf(size: number, id: string): Buffer {
  const base = {
    query: 'mutation ($id: ID!) { deleteAccount(id: $id) { __typename } }',
    variables: { id, pad: '' },
  };
  const padding = Math.max(0, size - Buffer.byteLength(JSON.stringify(base)));
  base.variables.pad = 'x'.repeat(padding);
  return Buffer.from(JSON.stringify(base));
}

interface Answer {
  status: number;
  body: { errors?: Array<{ message: string; extensions?: { code?: string } }>; data?: unknown };
}

/** POSTs over a socket; `chunked` sends the body in 1 KiB chunks without a Content-Length. */
function post(body: Buffer, chunked: boolean): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (!chunked) headers['content-length'] = body.length;
    const req = request({ host: '127.0.0.1', port, path: '/graphql', method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Answer['body'] }));
    });
    // The gateway may answer and stop reading before the whole body is written: that is the point.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    if (chunked) {
      for (let offset = 0; offset < body.length; offset += 1024)
        req.write(body.subarray(offset, offset + 1024));
      req.end();
    } else {
      req.end(body);
    }
  });
}

describe('MAX_REQUEST_BYTES', () => {
  for (const chunked of [false, true]) {
    const how = chunked ? 'chunked, without Content-Length' : 'with Content-Length';
    it(`refuses a body over the limit (${how}) with 413 REQUEST_TOO_LARGE and sends nothing upstream`, async () => {
      const answer = await post(bodyOf(LIMIT * 4, '1'), chunked);
      expect(answer.status).toBe(413);
      expect(answer.body.data).toBeUndefined();
      expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual(['REQUEST_TOO_LARGE']);
      expect(answer.body.errors?.[0]?.message).toContain('MAX_REQUEST_BYTES');
      expect(stack.sims.pam.requests.count + stack.sims.audit.requests.count).toBe(0);
      expect(stack.sims.pam.requests.list().filter((r) => r.method === 'DELETE')).toHaveLength(0);
    });

    it(`executes a body just under the limit (${how})`, async () => {
      const answer = await post(bodyOf(LIMIT - 200, chunked ? '3' : '2'), chunked);
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data).toEqual({ deleteAccount: { __typename: 'DeleteAccountPayload' } });
      expect(stack.sims.pam.requests.list().filter((r) => r.method === 'DELETE')).toHaveLength(1);
    });
  }
});
