// GET/POST /join/{campaign_slug} – the public way into a campaign: a form that adds a direct or referred participant
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { Queryable } from '../db';
import { readCampaignSettings } from '../domain/campaign-settings';
import { findParticipant } from '../domain/participant-queries';
import { createParticipantIn, isUniqueViolation } from '../domain/participants';
import type { CampaignRow, ParticipantView } from '../domain/rows';
import type { Hub } from '../hub';
import { normalizeCode } from '../lib/codes';
import { emailKey } from '../lib/email';
import { hashIp } from '../lib/ip';
import { readRefCookie } from '../redirect/handler';
import { emailSchema } from '../schemas/common';
import { memberCookie, memberCookieName, readCookie } from './cookies';
import type { FormToken, FormTokens } from './form-token';
import { joinBody, messageBody, type JoinValues, type JoinView } from './join-page';
import type { RateLimiter } from './rate-limit';
import { isEmbed, pageHandler, sendNotFound, sendPage } from './respond';
import { isSameOrigin } from './security';
import { findByShareToken } from './share-data';

export interface JoinDeps {
  hub: Hub;
  tokens: FormTokens;
  limiter: RateLimiter;
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const CLICK_ID = /^clk_[0-9a-z]{26}$/;
const CODE = /^[A-Za-z0-9-]{3,64}$/;

const joinFieldsSchema = z.object({
  first_name: z.string().trim().min(1, 'Enter your first name').max(100, 'Use at most 100 characters'),
  email: emailSchema,
});

/** A form field as a single string (repeated or missing fields read as missing). */
function str(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name];
  return typeof v === 'string' ? v : undefined;
}

async function campaignBySlug(q: Queryable, slug: string): Promise<CampaignRow | null> {
  if (!SLUG.test(slug)) return null;
  const [row] = await q.query<CampaignRow>('SELECT * FROM campaigns WHERE slug = $1', [slug]);
  // A draft is not public yet.
  return row && row.status !== 'draft' ? row : null;
}

/** The referral the visitor arrived with: the landing URL's rl_click/ref, else the /r/ cookie. */
function referralOf(req: Request, campaign: CampaignRow, fields: { rl_click?: string; ref?: string }) {
  const cookie = readRefCookie(req.headers.cookie);
  const fromCookie = cookie && cookie.campaignId === campaign.id ? cookie : null;
  const rlClick = fields.rl_click && CLICK_ID.test(fields.rl_click) ? fields.rl_click : fromCookie && CLICK_ID.test(fromCookie.clickId) ? fromCookie.clickId : undefined;
  const ref = fields.ref && CODE.test(fields.ref) ? normalizeCode(fields.ref) : fromCookie && CODE.test(fromCookie.code) ? fromCookie.code : undefined;
  return { rlClick, ref };
}

async function participantByCode(q: Queryable, campaignId: string, code: string) {
  const [row] = await q.query<{ id: string; first_name: string | null }>('SELECT id, first_name FROM participants WHERE code = $1 AND campaign_id = $2', [
    code,
    campaignId,
  ]);
  return row ?? null;
}

/** The participant this browser joined the campaign as (its member cookie), if any. */
async function returningMember(hub: Hub, req: Request, campaign: CampaignRow): Promise<ParticipantView | null> {
  const token = readCookie(req, memberCookieName(campaign.id));
  if (!token) return null;
  const p = await findByShareToken(hub.db, token);
  return p && p.campaign_id === campaign.id ? p : null;
}

function shareLocation(token: string, embed: boolean): string {
  return `/p/${token}${embed ? '?embed=1' : ''}`;
}

export function mountJoin(app: express.Express, deps: JoinDeps): void {
  const { hub } = deps;
  const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 20 });

  async function renderForm(req: Request, res: Response, campaign: CampaignRow, status: number, extra: Partial<JoinView> & { referral: JoinView['referral'] }) {
    const settings = readCampaignSettings(campaign);
    const embed = extra.embed ?? isEmbed(req);
    const inviterCode = extra.referral.ref;
    const inviter = inviterCode ? await participantByCode(hub.db, campaign.id, inviterCode) : null;
    const member = await returningMember(hub, req, campaign);
    const view: JoinView = {
      campaign,
      settings,
      embed,
      formToken: deps.tokens.issue(campaign.id, hub.now()),
      inviter: inviter?.first_name ?? null,
      returningShareUrl: member ? shareLocation(member.share_token, embed) : null,
      returningName: member?.first_name ?? null,
      ...extra,
    };
    sendPage(res, status, { title: settings.page.headline ?? `Join ${campaign.name}`, page: 'join', embed, campaign: { name: campaign.name, settings }, body: joinBody(view) });
  }

  function closed(res: Response, campaign: CampaignRow, embed: boolean, status: number) {
    const settings = readCampaignSettings(campaign);
    sendPage(res, status, {
      title: campaign.name,
      page: 'message',
      embed,
      campaign: { name: campaign.name, settings },
      body: messageBody(`${campaign.name} is not open right now`, ['This referral program is not taking new members at the moment.']),
    });
  }

  app.get(
    '/join/:slug',
    pageHandler(hub, async (req, res) => {
      const campaign = await campaignBySlug(hub.db, String(req.params.slug));
      if (!campaign) return sendNotFound(res, isEmbed(req));
      if (campaign.status !== 'live') return closed(res, campaign, isEmbed(req), 200);
      const query = { rl_click: typeof req.query.rl_click === 'string' ? req.query.rl_click : undefined, ref: typeof req.query.ref === 'string' ? req.query.ref : undefined };
      await renderForm(req, res, campaign, 200, { referral: referralOf(req, campaign, query) });
    }),
  );

  app.post(
    '/join/:slug',
    form,
    pageHandler(hub, async (req, res) => {
      const body: Record<string, unknown> = req.body && typeof req.body === 'object' ? req.body : {};
      const embed = str(body, 'embed') === '1' || isEmbed(req);
      const campaign = await campaignBySlug(hub.db, String(req.params.slug));
      if (!campaign) return sendNotFound(res, embed);
      const settings = readCampaignSettings(campaign);
      const brand = { name: campaign.name, settings };
      const refuse = (status: number, title: string, text: string, headers?: Record<string, string>) =>
        sendPage(res, status, { title, page: 'message', embed, campaign: brand, headers, body: messageBody(title, [text]) });

      if (!isSameOrigin(req, hub.config.publicUrl)) return refuse(403, 'Sign-up refused', 'This form can only be sent from its own page.');
      const rate = deps.limiter.hit(req.ip ?? 'unknown');
      if (!rate.allowed) {
        return refuse(429, 'Too many sign-ups', 'Too many sign-ups came from your network just now. Please try again in a few minutes.', {
          'Retry-After': String(rate.retryAfter),
        });
      }
      // The honeypot: people never see this field; form-filling scripts fill it.
      const trap = body.website;
      if (trap !== undefined && trap !== '') return refuse(400, 'Sign-up not accepted', 'Your sign-up could not be accepted. Please reload the page and try again.');
      if (campaign.status !== 'live') return closed(res, campaign, embed, 403);

      const values: JoinValues = { first_name: str(body, 'first_name') ?? '', email: str(body, 'email') ?? '', consent: str(body, 'consent') === 'yes' };
      const referral = referralOf(req, campaign, { rl_click: str(body, 'rl_click'), ref: str(body, 'ref') });
      const token = deps.tokens.verify(campaign.id, str(body, 'form_token'), hub.now());
      if (!token) {
        return renderForm(req, res, campaign, 400, { embed, values, referral, formError: 'This form has expired. Please check your details and send it again.' });
      }
      const parsed = joinFieldsSchema.safeParse(values);
      const errors: Record<string, string> = {};
      if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.path[0] === 'email' ? 'Enter a valid email address' : issue.message;
      if (settings.page.consent_text && !values.consent) errors.consent = 'Tick the box to agree before joining';
      if (!parsed.success || Object.keys(errors).length > 0) return renderForm(req, res, campaign, 400, { embed, values, referral, errors });

      const outcome = await join(deps, campaign, token, {
        first_name: parsed.data.first_name,
        email: parsed.data.email,
        consentText: settings.page.consent_text,
        referral,
        ipHash: hashIp(hub.ipSalt, req.ip),
      });
      if (outcome.kind === 'token_used') {
        return renderForm(req, res, campaign, 400, { embed, values, referral, formError: 'This form was already sent. Please send it again.' });
      }
      const p = outcome.participant;
      const member = readCookie(req, memberCookieName(campaign.id));
      // Only the browser that joined (its cookie, or the same one-time form) is shown the share page.
      if (outcome.kind === 'created' || outcome.kind === 'same_form' || member === p.share_token) {
        res.set('Set-Cookie', memberCookie(campaign.id, p.share_token, hub.config.publicUrl.startsWith('https://')));
        return void res.redirect(303, shareLocation(p.share_token, embed));
      }
      sendPage(res, 200, {
        title: "You're already in",
        page: 'message',
        embed,
        campaign: brand,
        body: messageBody("You're already in", [
          `This email address has already joined ${campaign.name}, so nothing changed.`,
          'To protect your privacy, your personal sharing page opens only in the browser you joined with. Open it there, or ask the team behind this program to send you your link.',
        ]),
      });
    }),
  );
}

type JoinOutcome = { kind: 'created' | 'existing' | 'same_form'; participant: ParticipantView } | { kind: 'token_used' };

/**
 * Add the participant and use up the form's token in one transaction: a token adds at most one
 * participant, and a failed sign-up leaves the token usable.
 */
async function join(
  deps: JoinDeps,
  campaign: CampaignRow,
  token: FormToken,
  input: { first_name: string; email: string; consentText?: string; referral: { rlClick?: string; ref?: string }; ipHash: string | null },
): Promise<JoinOutcome> {
  const { hub } = deps;
  const ids = { workspaceId: campaign.workspace_id, campaignId: campaign.id };
  for (let attempt = 0; ; attempt++) {
    try {
      return await hub.db.tx(async (q): Promise<JoinOutcome> => {
        const now = hub.now();
        await deps.tokens.sweep(q, now);
        if (!(await deps.tokens.consume(q, token, ids, now))) {
          // A resubmission (double click, back button) of the form that already joined this email.
          const earlier = await deps.tokens.usedBy(q, token, campaign.id);
          const p = earlier ? await findParticipant(q, campaign.workspace_id, earlier) : null;
          return p && p.email_key === emailKey(input.email) ? { kind: 'same_form', participant: p } : { kind: 'token_used' };
        }
        const referrerKnown = input.referral.ref ? (await participantByCode(q, campaign.id, input.referral.ref)) !== null : false;
        const { participant, created } = await createParticipantIn(
          q,
          hub,
          campaign.workspace_id,
          {
            campaign_id: campaign.id,
            email: input.email,
            first_name: input.first_name,
            click_id: input.referral.rlClick,
            // An unknown code in a hand-edited URL joins the visitor directly rather than failing.
            referrer_code: referrerKnown ? input.referral.ref : undefined,
            metadata: input.consentText ? { join_consent_at: now.toISOString(), join_consent_text: input.consentText.slice(0, 500) } : undefined,
          },
          { source: 'join_page', ipHash: input.ipHash },
        );
        await deps.tokens.attach(q, token, participant.id);
        return { kind: created ? 'created' : 'existing', participant };
      });
    } catch (err) {
      // A generated referral code collided with another one: draw again, token included.
      if (attempt < 3 && isUniqueViolation(err, 'participants_code')) continue;
      throw err;
    }
  }
}
