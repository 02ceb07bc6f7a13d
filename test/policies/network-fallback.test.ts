/**
 * The rule behind the start-up refusal (the real processes are in test/gateway/start.test.ts): which hosts
 * count as loopback, and which combinations of upstreams and settings may lend a service credential.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { checkNetworkFallback, isLoopbackHost } from '../../src/network-fallback.js';

describe('isLoopbackHost', () => {
  it.each([
    '127.0.0.1',
    '127.20.30.40',
    'localhost',
    'LocalHost',
    '::1',
    '[::1]',
    '0:0:0:0:0:0:0:1',
    '::ffff:127.0.0.1',
  ])('%s is loopback', (host) => expect(isLoopbackHost(host)).toBe(true));
  it.each([
    '0.0.0.0',
    '::',
    '10.0.0.5',
    '192.168.1.2',
    '128.0.0.1',
    '::ffff:10.0.0.1',
    'fe80::1',
    'pam.example.com',
    '',
  ])('%s is not loopback', (host) => expect(isLoopbackHost(host)).toBe(false));
});

describe('checkNetworkFallback', () => {
  const real = [
    { name: 'PAM', realFallback: true },
    { name: 'Audit', realFallback: false },
  ];

  it('refuses a real upstream in fallback on a non-loopback host, naming the settings', () => {
    for (const host of ['0.0.0.0', '::', '10.1.2.3']) {
      expect(() => checkNetworkFallback({ host, allowNetworkFallback: false }, real)).toThrow(ConfigError);
      expect(() => checkNetworkFallback({ host, allowNetworkFallback: false }, real)).toThrow(
        /CREDENTIAL_MODE=fallback.*PAM.*ALLOW_NETWORK_FALLBACK=true/,
      );
    }
  });

  it('allows it with ALLOW_NETWORK_FALLBACK=true, on loopback, and for embedded simulators or forward mode', () => {
    expect(() => checkNetworkFallback({ host: '0.0.0.0', allowNetworkFallback: true }, real)).not.toThrow();
    expect(() => checkNetworkFallback({ host: '::', allowNetworkFallback: true }, real)).not.toThrow();
    expect(() =>
      checkNetworkFallback({ host: '127.0.0.1', allowNetworkFallback: false }, real),
    ).not.toThrow();
    const noneReal = real.map((use) => ({ ...use, realFallback: false }));
    expect(() =>
      checkNetworkFallback({ host: '0.0.0.0', allowNetworkFallback: false }, noneReal),
    ).not.toThrow();
  });
});
