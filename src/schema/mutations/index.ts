/** Every mutation: one per write endpoint of docs/upstreams.md. */
import './errors.js';
import './inputs.js';
import './accounts.js';
import './collections.js';
import './audit.js';
