/** Every mutation: one per write endpoint of CONTRACT.md. */
import './errors.js';
import './accounts.js';
import './collections.js';
import './audit.js';
