/**
 * Imports every domain file and builds the schema once.
 */
import { builder } from './builder.js';
import './account.js';
import './audit-entry.js';

export const schema = builder.toSchema({ sortSchema: false });
