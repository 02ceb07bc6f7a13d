/**
 * Imports every domain file and builds the schema once.
 */
import { builder } from './builder.js';
import './scalars.js';
import './account.js';
import './credentials.js';
import './server.js';
import './safe.js';
import './listener.js';
import './user.js';
import './audit-entry.js';
import './mutations/index.js';

export const schema = builder.toSchema({ sortSchema: false });
