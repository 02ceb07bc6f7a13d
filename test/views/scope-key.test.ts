import { describe, expect, it } from 'vitest';
import { ScopeKeys } from '../../src/views/scope-key.js';

describe('ScopeKeys', () => {
  it('one key per credential and upstream, none containing the credential; random per process', () => {
    const keys = new ScopeKeys();
    const token = 'pam-demo-superadmin-key';
    expect(keys.of('pam', token)).toBe(keys.of('pam', token));
    expect(keys.of('pam', token)).not.toBe(keys.of('pam', 'pam-demo-operator-key'));
    expect(keys.of('pam', token)).not.toBe(keys.of('audit', token));
    expect(keys.of('pam', token)).not.toContain(token);
    expect(new ScopeKeys().of('pam', token)).not.toBe(keys.of('pam', token));
  });
});
