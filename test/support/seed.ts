/**
 * Talks to the simulators straight over their REST APIs (never through the gateway): `callSimulator` is the
 * one raw request every test uses when it needs the simulator's own answer — to seed data, to read back what
 * a write stored, or to check the simulator's contract — and `SimulatorWriter` seeds records on top of it,
 * so a test knows exactly which records exist and what the gateway should make of them.
 */

/** One direct request to a simulator. */
export interface SimulatorCall {
  /** The Authorization header value (a PAM token or an Audit API key); null or absent sends none. */
  auth?: string | null;
  /** A value sent as JSON, or a string sent as is (for malformed bodies); either way as application/json. */
  body?: unknown;
  /** Further request headers. */
  headers?: Record<string, string>;
}

/** A simulator's answer: the status, the JSON body (undefined when empty), the raw text and the headers. */
export interface SimulatorReply<T = unknown> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

/** Sends one request to `baseUrl + path` and returns the status and the parsed JSON body. */
export async function callSimulator<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  call: SimulatorCall = {},
): Promise<SimulatorReply<T>> {
  const headers: Record<string, string> = {};
  if (call.auth !== undefined && call.auth !== null) headers.authorization = call.auth;
  let payload: string | undefined;
  if (call.body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = typeof call.body === 'string' ? call.body : JSON.stringify(call.body);
  }
  const response = await fetch(baseUrl + path, {
    method,
    headers: { ...headers, ...call.headers },
    body: payload,
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    throw new Error(`${method} ${path}: HTTP ${response.status}, not JSON: ${text.slice(0, 200)}`);
  }
  return { status: response.status, body: body as T, text, headers: response.headers };
}

/**
 * `callSimulator` bound to one simulator and a default credential. The URL is read at each call, so a client
 * made before `beforeAll` has started the simulator works; `auth: null` sends no credential.
 */
export function simulatorClient(baseUrl: () => string, defaultAuth: string | null) {
  return <T = unknown>(method: string, path: string, call: SimulatorCall = {}): Promise<SimulatorReply<T>> =>
    callSimulator<T>(baseUrl(), method, path, {
      ...call,
      auth: call.auth === undefined ? defaultAuth : call.auth,
    });
}

/** Writes test data into both simulators, failing the test on any answer but success. */
export class SimulatorWriter {
  constructor(
    readonly pamUrl: string,
    readonly pamToken: string,
    readonly auditUrl: string,
    readonly auditKey: string,
  ) {}

  async pam<T = { id: number }>(method: string, path: string, body?: unknown): Promise<T> {
    const reply = await callSimulator<T>(this.pamUrl, method, path, { auth: this.pamToken, body });
    if (reply.status >= 300) throw new Error(`PAM ${method} ${path}: ${reply.status} ${reply.text}`);
    return reply.body;
  }

  server(name: string, address: string, protocol: string, port: number, mask: number | null = null) {
    return this.pam('POST', '/api/system/servers', { name, address, protocol, port, mask });
  }

  account(name: string, serverId: number, login: string, domain = '') {
    return this.pam('POST', '/api/system/accounts', {
      name,
      type: 'regular',
      server_id: serverId,
      credentials: { login, domain, method: 'password', secret: `pw-${name}`, password_change_policy_id: 1 },
    });
  }

  async audit(
    organization: string,
    fields: Record<string, string>,
    key = this.auditKey,
  ): Promise<{ id: string }> {
    const reply = await callSimulator<{ id: string }>(this.auditUrl, 'POST', '/ux/nccm/jobs-account-audit/', {
      auth: key,
      body: { organization, ...fields },
    });
    if (reply.status !== 201) throw new Error(`Audit POST: ${reply.status} ${reply.text}`);
    return reply.body;
  }
}
