/** A browser-less client of the join form: what a person's browser (or a bot) sends. */

export interface PageResponse {
  status: number;
  html: string;
  headers: Headers;
  location: string | null;
  setCookie: string | null;
}

async function toPage(res: Response): Promise<PageResponse> {
  return { status: res.status, html: await res.text(), headers: res.headers, location: res.headers.get('location'), setCookie: res.headers.get('set-cookie') };
}

/** GET a page without following redirects. */
export async function getPage(url: string, headers: Record<string, string> = {}): Promise<PageResponse> {
  return toPage(await fetch(url, { redirect: 'manual', headers }));
}

/** The one-time token of a rendered join form. */
export function formToken(html: string): string {
  const m = /name="form_token" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no form token in the page');
  return m[1];
}

/** POST the join form as a browser would (urlencoded, Origin of the hub). */
export async function postJoin(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<PageResponse> {
  const res = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(url).origin, ...headers },
    body: new URLSearchParams(fields).toString(),
  });
  return toPage(res);
}

/** Open the join form and send it with the given fields (and its fresh token). */
export async function join(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<PageResponse> {
  const form = await getPage(url, headers);
  if (form.status !== 200) throw new Error(`join form answered ${form.status}`);
  return postJoin(url, { form_token: formToken(form.html), ...fields }, headers);
}

/** The share token in a /p/{token} location. */
export function shareTokenOf(location: string | null): string {
  const m = /\/p\/([0-9a-z]+)/.exec(location ?? '');
  if (!m) throw new Error(`not a share page location: ${location}`);
  return m[1];
}
