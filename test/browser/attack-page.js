/**
 * The attacker's page, run by Chromium from an origin that is not the gateway's (and again inside a sandboxed
 * iframe, origin `null`). `window.attack(config)` sends every request a hostile page can send without the
 * target's consent, one after the other, and reports what it could observe. It knows nothing of pamgraph:
 * the same code runs against a permissive stand-in first, which proves the requests really leave the browser
 * and that the reading code would see an answer if the target allowed it.
 */

/** Longest wait for a form's answer to load into its sink iframe. */
const FORM_LOAD_TIMEOUT_MS = 15_000;

let sinks = 0;

/** Submits a hidden form into a fresh named iframe (so this page stays) and waits for the answer to load. */
function submitForm(target, enctype, fields) {
  const name = `sink-${++sinks}`;
  const sink = document.createElement('iframe');
  sink.name = name;
  // Appending a src-less iframe loads about:blank at once; the listener below sees only the form's answer.
  document.body.append(sink);
  const form = document.createElement('form');
  form.method = 'POST';
  form.action = target;
  form.enctype = enctype;
  form.target = name;
  for (const [fieldName, value] of fields) {
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = fieldName;
    input.value = value;
    form.append(input);
  }
  document.body.append(form);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), FORM_LOAD_TIMEOUT_MS);
    sink.addEventListener(
      'load',
      () => {
        clearTimeout(timer);
        resolve('loaded');
      },
      { once: true },
    );
    form.submit();
  });
}

/** A fetch whose answer the page cannot read anyway (mode no-cors): reports the response type or the error. */
async function blindFetch(target, init) {
  try {
    const response = await fetch(target, { ...init, method: 'POST', mode: 'no-cors' });
    return response.type;
  } catch (error) {
    return `error: ${error}`;
  }
}

/** A CORS-mode fetch that tries to read the answer: the account names, the body and the exposed header. */
async function tryRead(target, init) {
  try {
    const response = await fetch(target, { ...init, mode: 'cors' });
    const text = await response.text();
    let names = null;
    try {
      names = JSON.parse(text).data.accounts.edges.map((edge) => edge.node.name);
    } catch {
      // Not an answer with data: names stay null, the text says what it was.
    }
    return {
      read: true,
      status: response.status,
      names,
      requestId: response.headers.get('x-request-id'),
      text: text.slice(0, 500),
    };
  } catch (error) {
    return { read: false, error: String(error) };
  }
}

/**
 * @param config.target the GraphQL endpoint under attack
 * @param config.mutations one forged mutation document per write vector (distinct accounts, so that a
 *   vector that got through can be told apart)
 * @param config.readQuery a query whose answer (account names) the page tries to read
 */
async function attack({ target, mutations, readQuery }) {
  const writes = {};
  writes.formUrlencoded = await submitForm(target, 'application/x-www-form-urlencoded', [
    ['query', mutations.formUrlencoded],
  ]);
  writes.formMultipart = await submitForm(target, 'multipart/form-data', [
    ['query', mutations.formMultipart],
  ]);
  // text/plain sends `name=value` unescaped: this name and value make the body a JSON object.
  writes.formTextPlain = await submitForm(target, 'text/plain', [
    [`{"query":${JSON.stringify(mutations.formTextPlain)},"x":"`, '"}'],
  ]);
  writes.fetchUrlencoded = await blindFetch(target, {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ query: mutations.fetchUrlencoded }).toString(),
  });
  writes.fetchTextPlain = await blindFetch(target, {
    headers: { 'content-type': 'text/plain' },
    body: JSON.stringify({ query: mutations.fetchTextPlain }),
  });
  const multipart = new FormData();
  multipart.append('query', mutations.fetchMultipart);
  writes.fetchMultipart = await blindFetch(target, { body: multipart });

  const reads = {};
  reads.get = await tryRead(`${target}?${new URLSearchParams({ query: readQuery })}`, { method: 'GET' });
  // Preflighted: the browser asks with OPTIONS first and sends the POST only if the answer allows it.
  reads.jsonPost = await tryRead(target, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: readQuery }),
  });
  // A simple request (no preflight): it reaches the server whatever CORS says; only reading needs consent.
  reads.textPost = await tryRead(target, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: JSON.stringify({ query: readQuery }),
  });
  return { origin: self.origin, writes, reads };
}

window.attack = attack;
