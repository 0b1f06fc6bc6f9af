import { dbKinds, startTestHub, type TestHub } from '../../support/hub';
import { addParticipant, createCampaign } from '../../support/fixtures';

/** The raw Location of one click (not parsed, so the exact bytes and order are asserted). */
async function locationOf(link: string): Promise<string> {
  const res = await fetch(link, { redirect: 'manual', headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120 Safari/537.36' } });
  await res.text();
  expect(res.status).toBe(302);
  return res.headers.get('location') ?? '';
}

/** The Location with the click id (new on every click) replaced by a placeholder. */
function masked(location: string): string {
  return location.replace(/rl_click=[^&#]+/, 'rl_click=CLICK');
}

describe.each(dbKinds())('redirect to a destination that has parameters of its own on %s', (db) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ db, worker: false });
  });
  afterAll(async () => t.close());

  async function linkFor(destination: string, email: string): Promise<{ link: string; code: string }> {
    const c = await createCampaign(t, { destination_url: destination });
    const p = await addParticipant(t, { campaign_id: c.id, email });
    return { link: p.referral_link, code: p.code };
  }

  it('appends ref and rl_click to a destination without a query, before its fragment', async () => {
    const { link, code } = await linkFor('https://acme.example/signup#form', 'plain@example.com');
    expect(masked(await locationOf(link))).toBe(`https://acme.example/signup?ref=${code}&rl_click=CLICK#form`);
  });

  it('replaces the destination’s own ref in place, keeping every other parameter, their order and the fragment', async () => {
    const { link, code } = await linkFor('https://acme.example/signup?plan=pro&ref=partner-7&q=a%20b&flag#pricing', 'theirs@example.com');
    const location = await locationOf(link);
    expect(masked(location)).toBe(`https://acme.example/signup?plan=pro&ref=${code}&rl_click=CLICK&q=a%20b&flag#pricing`);
    expect(new URL(location).searchParams.getAll('ref')).toEqual([code]);
  });

  it('drops every ref and rl_click the destination carries, and keeps ours once', async () => {
    const { link, code } = await linkFor('https://acme.example/?ref=a&rl_click=old&x=1&ref=b', 'many@example.com');
    const location = await locationOf(link);
    expect(masked(location)).toBe(`https://acme.example/?ref=${code}&rl_click=CLICK&x=1`);
    const params = new URL(location).searchParams;
    expect(params.getAll('ref')).toEqual([code]);
    expect(params.getAll('rl_click')).toHaveLength(1);
    expect(params.get('rl_click')).not.toBe('old');
  });

  it('leaves parameters that only look like ref alone (referrer, xref, an encoded name)', async () => {
    const { link, code } = await linkFor('https://acme.example/p?referrer=blog&xref=1&r%65f=enc', 'alike@example.com');
    // r%65f decodes to "ref", so it is ours to replace; referrer and xref are different names.
    expect(masked(await locationOf(link))).toBe(`https://acme.example/p?referrer=blog&xref=1&ref=${code}&rl_click=CLICK`);
  });

  it('appends after an existing query without a ref, and adds incoming UTMs the destination does not set', async () => {
    const { link, code } = await linkFor('https://acme.example/signup?plan=pro&utm_source=site', 'utm@example.com');
    const location = await locationOf(`${link}?utm_source=newsletter&utm_medium=email`);
    expect(masked(location)).toBe(`https://acme.example/signup?plan=pro&utm_source=site&ref=${code}&rl_click=CLICK&utm_medium=email`);
  });

  it('sends a paused campaign’s visitors to the destination untouched', async () => {
    const c = await createCampaign(t, { destination_url: 'https://acme.example/signup?ref=partner-7' });
    const p = await addParticipant(t, { campaign_id: c.id, email: 'paused@example.com' });
    await t.api(`/v1/campaigns/${c.id}`, { method: 'PATCH', body: { status: 'paused' } });
    expect(await locationOf(p.referral_link)).toBe('https://acme.example/signup?ref=partner-7');
  });
});
