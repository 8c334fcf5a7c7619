// The console's only way to the connector: same-origin requests to <console>/api/<management|auditor>/…, which the
// console context forwards to the connector's own APIs. The key the user typed lives in sessionStorage only.

const SESSION = 'kakehashi.console.session';
export const EDC = 'https://w3id.org/edc/v0.0.1/ns/';

export function session() {
  try {
    return JSON.parse(sessionStorage.getItem(SESSION)) || null;
  } catch {
    return null;
  }
}

export function saveSession(role, key) {
  sessionStorage.setItem(SESSION, JSON.stringify({ role, key }));
}

export function clearSession() {
  sessionStorage.removeItem(SESSION);
}

/** An API answer that was not a success: its status and the messages (EDC's [{message, type, path}] shape). */
export class ApiError extends Error {
  constructor(status, details) {
    super(details.map(d => d.message).join('; ') || `HTTP ${status}`);
    this.status = status;
    this.details = details;
  }
}

function apiBase() {
  const path = location.pathname.endsWith('/') ? location.pathname : location.pathname + '/';
  return path + 'api/';
}

/**
 * Calls one of the two APIs. target: 'management' or 'auditor'; path: '/v3/…'; body: an object sent as JSON.
 * raw: a text body sent as it is with contentType (a SPARQL query). Resolves to the parsed JSON (or text for other
 * types); rejects with ApiError.
 */
export async function call(target, method, path, { body, raw, contentType, query, key, accept } = {}) {
  const s = session();
  const headers = { Accept: accept || 'application/json' };
  const apiKey = key ?? s?.key;
  if (apiKey) headers['x-api-key'] = apiKey;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (raw !== undefined) headers['Content-Type'] = contentType || 'text/plain';
  let url = apiBase() + target + path;
  if (query) {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && String(value).trim() !== '') params.set(name, String(value).trim());
    }
    const text = params.toString();
    if (text) url += '?' + text;
  }
  let response;
  try {
    response = await fetch(url, { method, headers, body: raw !== undefined ? raw : body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  } catch {
    throw new ApiError(0, [{ message: 'network', type: 'Network' }]);
  }
  const type = response.headers.get('Content-Type') || '';
  const payload = /(^|[/+])json\s*(;|$)/i.test(type) ? await response.json().catch(() => null) : await response.text();
  if (!response.ok) {
    let details = Array.isArray(payload) ? payload : payload && payload.message ? [payload] : [];
    if (!details.length && typeof payload === 'string' && payload.trim()) details = [{ message: payload.trim().slice(0, 500) }];
    throw new ApiError(response.status, details);
  }
  return payload;
}

export const management = (method, path, options) => call('management', method, path, options);
export const auditor = (method, path, options) => call('auditor', method, path, options);

/** A management API query (QuerySpec) of up to `limit` entries. */
export function query(path, limit = 1000, filter = []) {
  return management('POST', path, {
    body: { '@context': { '@vocab': EDC }, '@type': 'QuerySpec', offset: 0, limit, filterExpression: filter },
  });
}
