/* global fetch */
// The dashboard's only way to the hub: same-origin calls to the public API with the session
// cookie; writes carry the session's CSRF token. The API key itself never reaches this page's storage.

let csrfToken = null;

/** A refused request, with the hub's problem+json. */
export class ApiProblem extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `The hub answered ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
  /** "field: message" lines of a validation error. */
  get fieldErrors() {
    return (this.problem.errors || []).map((e) => (e.path ? `${e.path}: ${e.message}` : e.message));
  }
}

let onSignedOut = () => {};
export function whenSignedOut(fn) {
  onSignedOut = fn;
}

async function request(method, path, body, contentType) {
  const headers = { accept: 'application/json' };
  let payload;
  if (body !== undefined && contentType) {
    headers['content-type'] = contentType;
    payload = body;
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  const text = await res.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { detail: text.slice(0, 300) };
    }
  }
  if (!res.ok) {
    if (res.status === 401 && path.startsWith('/v1/')) onSignedOut();
    throw new ApiProblem(res.status, data);
  }
  return data;
}

export const api = {
  get: (path) => request('GET', path),
  post: (path, body) => request('POST', path, body ?? {}),
  patch: (path, body) => request('PATCH', path, body),
  put: (path, body) => request('PUT', path, body),
  del: (path) => request('DELETE', path),
  postRaw: (path, body, contentType) => request('POST', path, body, contentType),
};

/** A query string from the defined values of an object. */
export function qs(params) {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Every page of a list, up to `max` items. */
export async function listAll(path, params = {}, max = 500) {
  const out = [];
  let cursor;
  do {
    const page = await api.get(path + qs({ ...params, limit: 100, cursor }));
    out.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor && out.length < max);
  return out;
}

export async function currentSession() {
  const s = await request('GET', '/app/session');
  csrfToken = s.csrf_token;
  return s;
}

export async function signIn(key) {
  const s = await request('POST', '/app/session', { key });
  csrfToken = s.csrf_token;
  return s;
}

export async function signOut() {
  await request('DELETE', '/app/session');
  csrfToken = null;
}

/** The CSRF token, for uploads sent with XMLHttpRequest (progress events). */
export function csrf() {
  return csrfToken;
}
