/**
 * docs/upstreams.md §1.5–§1.7 field rules through real HTTP against an empty simulator: servers, safes and
 * listeners, each broken rule a 400 naming the field, and the valid shapes.
 */
import { describe, expect, it } from 'vitest';
import { type Json, pamCollectionsContract } from '../support/pam-collections-contract.js';

const contract = pamCollectionsContract();
const { call, post } = contract;

describe('§1.5 Servers: field rules', () => {
  const server = (extra: Json) => ({
    name: 'rule-srv',
    address: '198.51.100.1',
    port: 22,
    protocol: 'ssh',
    ...extra,
  });
  it.each<[string, Json, Json]>([
    ['missing address', { address: undefined }, { address: ['This field is required.'] }],
    ['bad address', { address: 'web-01' }, { address: ['Enter a valid IPv4 or IPv6 address.'] }],
    ['mask 129', { mask: 129 }, { mask: ['Ensure this value is less than or equal to 128.'] }],
    ['port 0', { port: 0 }, { port: ['Ensure this value is greater than or equal to 1.'] }],
    ['port 65536', { port: 65536 }, { port: ['Ensure this value is less than or equal to 65535.'] }],
    ['port as a string', { port: '22' }, { port: ['A valid integer is required.'] }],
    ['missing protocol', { protocol: undefined }, { protocol: ['This field is required.'] }],
    ['bad protocol', { protocol: 'ftp' }, { protocol: ['"ftp" is not a valid choice.'] }],
    ['bad bind_ip', { bind_ip: 'any' }, { bind_ip: ['Enter a valid IPv4 or IPv6 address.'] }],
    [
      'description over 1024',
      { description: 'd'.repeat(1025) },
      { description: ['Ensure this field has no more than 1024 characters.'] },
    ],
    [
      'blocked without reason',
      { blocked: true },
      { reason: ['This field is required when blocked is true.'] },
    ],
  ])('§1.5 %s is 400', async (_label, extra, errors) => {
    expect(await call('POST', '/api/system/servers', { body: server(extra) })).toEqual({
      status: 400,
      body: errors,
    });
  });

  it('§1.5 IPv6, a subnet mask and a blocked server with reason are accepted', async () => {
    const v6 = await post(
      '/api/system/servers',
      server({ name: 'v6', address: '2001:db8::1', bind_ip: '::1' }),
    );
    expect(v6).toMatchObject({ address: '2001:db8::1', bind_ip: '::1' });
    const net = await post('/api/system/servers', server({ name: 'net', address: '10.20.30.0', mask: 24 }));
    expect(net.mask).toBe(24);
    const blocked = await post(
      '/api/system/servers',
      server({ name: 'blk', port: 2200, blocked: true, reason: 'audit' }),
    );
    expect(blocked).toMatchObject({ blocked: true, reason: 'audit' });
  });

  it('§1.5 (address, mask, port) is unique together; the same address on another port is fine', async () => {
    await post('/api/system/servers', server({ name: 'pair-a', address: '198.51.100.7' }));
    const clash = await call('POST', '/api/system/servers', {
      body: server({ name: 'pair-b', address: '198.51.100.7' }),
    });
    expect(clash).toEqual({
      status: 400,
      body: { non_field_errors: ['The fields address, mask, port must make a unique set.'] },
    });
    await post(
      '/api/system/servers',
      server({ name: 'pair-c', address: '198.51.100.7', port: 3389, protocol: 'rdp' }),
    );
  });

  it('§1.5 protocol is immutable (400 on change)', async () => {
    const created = await post('/api/system/servers', server({ name: 'imm-srv', address: '198.51.100.9' }));
    const reply = await call('PATCH', `/api/system/servers/${created.id}`, { body: { protocol: 'rdp' } });
    expect(reply).toEqual({ status: 400, body: { protocol: ['This field cannot be changed.'] } });
  });

  it('§1.5 deleting a server that accounts use is 400 non_field_errors', async () => {
    const created = await post('/api/system/servers', server({ name: 'used-srv', address: '198.51.100.10' }));
    await post('/api/system/accounts', { name: 'uses-srv', type: 'anonymous', server_id: created.id });
    const reply = await call('DELETE', `/api/system/servers/${created.id}`);
    expect(reply.status).toBe(400);
    expect(Object.keys(reply.body)).toEqual(['non_field_errors']);
  });
});

describe('§1.6 Safes: field rules', () => {
  it.each<[string, Json, Json]>([
    ['missing name', {}, { name: ['This field is required.'] }],
    [
      'negative required_votes',
      { name: 's', required_votes: -1 },
      { required_votes: ['Ensure this value is greater than or equal to 0.'] },
    ],
    [
      'negative time_limit',
      { name: 's', time_limit: -5 },
      { time_limit: ['Ensure this value is greater than or equal to 0.'] },
    ],
    [
      'inactivity_limit as a string',
      { name: 's', inactivity_limit: '5' },
      { inactivity_limit: ['A valid integer is required.'] },
    ],
    [
      'bad note_access',
      { name: 's', note_access: 'admin' },
      { note_access: ['"admin" is not a valid choice.'] },
    ],
    ['webclient not a boolean', { name: 's', webclient: 1 }, { webclient: ['Must be a valid boolean.'] }],
    [
      'blocked without reason',
      { name: 's', blocked: true },
      { reason: ['This field is required when blocked is true.'] },
    ],
  ])('§1.6 %s is 400', async (_label, body, errors) => {
    expect(await call('POST', '/api/system/safes', { body })).toEqual({ status: 400, body: errors });
  });
});

describe('§1.7 Listeners: field rules', () => {
  const listener = (extra: Json) => ({ name: 'rule-l', protocol: 'ssh', mode: 'gateway', ...extra });
  it.each<[string, Json, Json]>([
    ['missing mode', { mode: undefined }, { mode: ['This field is required.'] }],
    ['bad mode', { mode: 'relay' }, { mode: ['"relay" is not a valid choice.'] }],
    ['bad protocol', { protocol: 'smtp' }, { protocol: ['"smtp" is not a valid choice.'] }],
    ['proxy without listen_port', { mode: 'proxy' }, { listen_port: ['This field is required.'] }],
    [
      'bastion with null listen_port',
      { mode: 'bastion', listen_port: null },
      { listen_port: ['This field is required when mode is bastion or proxy.'] },
    ],
    [
      'listen_port 70000',
      { listen_port: 70000 },
      { listen_port: ['Ensure this value is less than or equal to 65535.'] },
    ],
    ['bad listen_ip', { listen_ip: 'localhost' }, { listen_ip: ['Enter a valid IPv4 or IPv6 address.'] }],
    [
      'external_address without port',
      { external_address: 'pam.example.com' },
      { external_port: ['This field is required when external_address is set.'] },
    ],
    [
      'blocked without reason',
      { blocked: true },
      { reason: ['This field is required when blocked is true.'] },
    ],
  ])('§1.7 %s is 400', async (_label, extra, errors) => {
    expect(await call('POST', '/api/system/listeners', { body: listener(extra) })).toEqual({
      status: 400,
      body: errors,
    });
  });

  it('§1.7 a proxy listener with port and external address is accepted; protocol is immutable', async () => {
    const created = await post(
      '/api/system/listeners',
      listener({
        name: 'proxy-ok',
        mode: 'proxy',
        listen_port: 2222,
        external_address: 'pam.example.com',
        external_port: 22,
      }),
    );
    expect(created).toMatchObject({
      listen_port: 2222,
      external_address: 'pam.example.com',
      external_port: 22,
    });
    const reply = await call('PUT', `/api/system/listeners/${created.id}`, {
      body: listener({ name: 'proxy-ok', protocol: 'rdp' }),
    });
    expect(reply).toEqual({ status: 400, body: { protocol: ['This field cannot be changed.'] } });
  });
});
