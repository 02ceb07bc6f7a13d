/**
 * The key of a sharing scope (issue 11): a keyed hash of the credential, never the credential itself, so a
 * view registry holds no credential in clear text and a dump of it reveals none. The key is random per process:
 * scope keys mean nothing outside it and are never logged.
 */
import { createHmac, randomBytes } from 'node:crypto';

export class ScopeKeys {
  readonly #secret: Buffer;

  constructor(secret: Buffer = randomBytes(32)) {
    this.#secret = secret;
  }

  /** `upstream` keeps a PAM token and an Audit key that happen to be equal in different scopes. */
  of(upstream: 'pam' | 'audit', credential: string): string {
    return createHmac('sha256', this.#secret).update(`${upstream}\0${credential}`).digest('base64url');
  }
}
