import { createAppTester } from 'zapier-platform-core';
import app from '../../../zapier-app/src';
import authentication from '../../../zapier-app/src/authentication';
import type { TestHub } from '../../support/hub';

/**
 * Zapier's own runtime (the Lambda handler behind `zapier invoke` and appTester) around our app.
 * skipHttpPatch: by default the runtime wraps node's http.request for logging, for the whole
 * process and for good; its wrapper drops the options of `http.request(url, options, cb)`, which
 * the hub in this same process uses to deliver webhooks (and later suites in this worker too).
 * The app calls the hub only through z.request, which logs by itself, so nothing is lost.
 */
export const appTester = createAppTester({ ...app, flags: { skipHttpPatch: true } });
export { app, authentication };

/** The REST-hook triggers and the hub event type each one subscribes to. */
export const instantTriggers = [
  ['new_participant', 'participant.created'],
  ['new_referral', 'referral.created'],
  ['referral_qualified', 'referral.qualified'],
  ['referral_unqualified', 'referral.unqualified'],
  ['conversion_tracked', 'conversion.tracked'],
  ['reward_created', 'reward.created'],
  ['reward_issued', 'reward.issued'],
] as const;
export type InstantTrigger = (typeof instantTriggers)[number][0];

/** The connection a Zap user makes: the hub's URL and a secret key. */
export function connectionTo(t: TestHub, apiKey = t.secretKey) {
  return { base_url: t.url, api_key: apiKey };
}

/**
 * The message a Zap user sees. z.errors.Error carries `{message, code, status}` as JSON in its
 * message; other errors show their message as is.
 */
export function shownMessage(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  try {
    const parsed: unknown = JSON.parse(err.message);
    if (parsed && typeof parsed === 'object' && 'message' in parsed && typeof parsed.message === 'string') return parsed.message;
  } catch {
    // a plain message
  }
  return err.message;
}

/** Await a step that must fail; answer what the user is shown. */
export async function failureOf(step: Promise<unknown>): Promise<string> {
  try {
    await step;
  } catch (err) {
    return shownMessage(err);
  }
  throw new Error('the step succeeded but should have failed');
}

/** A campaign whose rule gives the referrer $10 credit per qualified referral, approved by a person. */
export async function createCampaign(t: TestHub, name = 'Friends of Acme') {
  const res = await t.api('/v1/campaigns', {
    body: {
      name,
      destination_url: 'https://shop.example.com/',
      reward_rules: [{ trigger: 'each_qualified', recipient: 'referrer', kind: 'credit', amount: 1000, currency: 'USD', approval: 'manual' }],
    },
  });
  if (res.status !== 201) throw new Error(`campaign not created: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; name: string };
}

/** A referrer and a friend who signed up with the referrer's code (a pending referral). */
export async function createReferral(t: TestHub, campaignId: string, tag: string) {
  const referrer = await t.api('/v1/participants', { body: { campaign_id: campaignId, email: `anna.${tag}@example.com`, first_name: 'Anna' } });
  const friend = await t.api('/v1/participants', {
    body: { campaign_id: campaignId, email: `fran.${tag}@example.com`, first_name: 'Fran', referrer_code: referrer.body.code },
  });
  if (friend.status !== 201 || friend.body.type !== 'referred') throw new Error(`referral not created: ${JSON.stringify(friend.body)}`);
  return { referrer: referrer.body as { id: string; code: string; email: string }, friend: friend.body as { id: string; code: string; email: string } };
}

/** Free-form records: their keys are the user's data, not the shape of the payload. */
const freeForm = new Set(['metadata', 'crm']);

/** Every key path of a JSON value (`data.referrer.code`, `rewards[].id`), sorted: the shape without the values. */
export function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return [...new Set(value.flatMap((v) => keyPaths(v, `${prefix}[]`)))].sort();
  if (value && typeof value === 'object') {
    return Object.entries(value)
      .flatMap(([k, v]) => {
        const path = prefix ? `${prefix}.${k}` : k;
        return freeForm.has(k) ? [path] : [path, ...keyPaths(v, path)];
      })
      .sort();
  }
  return [];
}
