/**
 * The input types of every write, derived from the resource descriptions (see derive.ts, `inputRef`). They are
 * created here, in this order, only so that the printed schema lists them together and in a stable order;
 * mutation files ask `inputRef` for the same types.
 */
import {
  Account,
  AuditEntry,
  Credentials,
  Listener,
  PasswordChanger,
  Safe,
  Server,
  User,
} from '../../resources/index.js';
import { inputRef } from '../derive.js';

for (const nested of [Credentials, PasswordChanger]) inputRef(nested);
for (const r of [Account, Server, Safe, Listener, User]) {
  inputRef(r);
  inputRef(r, false);
}
inputRef(AuditEntry);
