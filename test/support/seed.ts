/**
 * Writes test data straight into the simulators over their REST APIs (never through the gateway), so a
 * test knows exactly which records exist and what the gateway should make of them.
 */
export class SimulatorWriter {
  constructor(
    readonly pamUrl: string,
    readonly pamToken: string,
    readonly auditUrl: string,
    readonly auditKey: string,
  ) {}

  async pam<T = { id: number }>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(this.pamUrl + path, {
      method,
      headers: { authorization: this.pamToken, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`PAM ${method} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
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
    const response = await fetch(`${this.auditUrl}/ux/nccm/jobs-account-audit/`, {
      method: 'POST',
      headers: { authorization: key, 'content-type': 'application/json' },
      body: JSON.stringify({ organization, ...fields }),
    });
    const text = await response.text();
    if (response.status !== 201) throw new Error(`Audit POST: ${response.status} ${text}`);
    return JSON.parse(text) as { id: string };
  }
}
