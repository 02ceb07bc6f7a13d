/**
 * The fixed demo credentials of the embedded simulators. They are published in the README and only
 * ever valid against the simulators, never against a real appliance.
 */
export const DEMO_CREDENTIALS = {
  pam: {
    /** API key of the demo user `demo-superadmin` (role `superadmin`). */
    superadminToken: 'pam-demo-superadmin-key',
    superadminName: 'demo-superadmin',
    /** Login password of `demo-superadmin` for `POST /api/system/login`. */
    superadminPassword: 'demo-superadmin-password',
    /** API key of the demo user `demo-operator` (role `operator`), granted about 10 % of the accounts. */
    operatorToken: 'pam-demo-operator-key',
    operatorName: 'demo-operator',
    operatorPassword: 'demo-operator-password',
  },
  audit: {
    /** The organisation that holds about 75 % of the audit entries, and its API key. */
    primaryOrganization: 'acme-networks',
    primaryKey: 'audit-demo-key-acme',
    /** The organisation that holds the other 25 %, and its API key. */
    secondaryOrganization: 'globex-telecom',
    secondaryKey: 'audit-demo-key-globex',
    /** A second key of each organisation: it sees exactly what the first key of its organisation sees. */
    primarySecondKey: 'audit-demo-key-acme-2',
    secondarySecondKey: 'audit-demo-key-globex-2',
  },
} as const;
