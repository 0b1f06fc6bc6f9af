import type { CampaignSettings } from '../domain/campaign-settings';
import type { CampaignRow } from '../domain/rows';
import { html, type SafeHtml } from './html';

/** What the visitor typed, shown back after an error. */
export interface JoinValues {
  first_name: string;
  email: string;
  consent: boolean;
}

export interface JoinView {
  campaign: CampaignRow;
  settings: CampaignSettings;
  embed: boolean;
  formToken: string;
  values?: JoinValues;
  /** Field name → message. */
  errors?: Record<string, string>;
  /** A message about the whole form (expired token, refused submission). */
  formError?: string;
  /** First name of the person whose link brought the visitor, when known. */
  inviter?: string | null;
  /** This browser already joined: the link to its own share page. */
  returningShareUrl?: string | null;
  returningName?: string | null;
  referral: { rlClick?: string; ref?: string };
}

const FIELD_LABELS: Record<string, string> = { first_name: 'First name', email: 'Email', consent: 'Consent' };

/** The campaign's words at the top of both join views. */
export function campaignIntro(campaign: CampaignRow, settings: CampaignSettings): SafeHtml {
  const page = settings.page;
  return html`<h1 id="title">${page.headline ?? `Join ${campaign.name}`}</h1>
${page.description ? html`<p class="muted">${page.description}</p>` : null}
${page.reward_text ? html`<p class="reward">${page.reward_text}</p>` : null}`;
}

function field(name: 'first_name' | 'email', v: JoinView, attrs: { type: string; autocomplete: string; max: number }): SafeHtml {
  const error = v.errors?.[name];
  const value = v.values?.[name] ?? '';
  return html`<label for="${name}">${FIELD_LABELS[name]}</label>
<input id="${name}" name="${name}" type="${attrs.type}" autocomplete="${attrs.autocomplete}" maxlength="${attrs.max}" required value="${value}"${
    error ? html` aria-invalid="true" aria-describedby="${name}-error"` : null
  }>
${error ? html`<p class="err" id="${name}-error">${error}</p>` : null}`;
}

/** The join form (with the campaign's pitch, any errors, and the bot traps). */
export function joinBody(v: JoinView): SafeHtml {
  const consentText = v.settings.page.consent_text;
  const errors = Object.entries(v.errors ?? {});
  const action = `/join/${v.campaign.slug}`;
  const consentError = v.errors?.consent;
  return html`<section class="card" aria-labelledby="title">
${campaignIntro(v.campaign, v.settings)}
${v.inviter ? html`<p class="note">${v.inviter} invited you.</p>` : null}
${v.returningShareUrl
    ? html`<p class="note">You have already joined${v.returningName ? html` as ${v.returningName}` : null}. <a href="${v.returningShareUrl}">Open your sharing page</a></p>`
    : null}
${errors.length > 0 || v.formError
    ? html`<div class="summary" id="error-summary" role="alert" tabindex="-1">
<h2>${v.formError ?? 'Please check the form'}</h2>
${errors.length > 0 ? html`<ul>${errors.map(([k, m]) => html`<li><a href="#${k}">${FIELD_LABELS[k] ?? k}: ${m}</a></li>`)}</ul>` : null}
</div>`
    : null}
<form id="join-form" method="post" action="${action}" novalidate>
${field('first_name', v, { type: 'text', autocomplete: 'given-name', max: 100 })}
${field('email', v, { type: 'email', autocomplete: 'email', max: 320 })}
${consentText
    ? html`<label class="check" for="consent"><input id="consent" name="consent" type="checkbox" value="yes" required${v.values?.consent ? html` checked` : null}${
        consentError ? html` aria-invalid="true" aria-describedby="consent-error"` : null
      }> <span>${consentText}</span></label>
${consentError ? html`<p class="err" id="consent-error">${consentError}</p>` : null}`
    : null}
<div class="hp" aria-hidden="true"><label for="website">Leave this field empty</label><input id="website" name="website" type="text" tabindex="-1" autocomplete="off"></div>
<input type="hidden" name="form_token" value="${v.formToken}">
${v.referral.rlClick ? html`<input type="hidden" name="rl_click" value="${v.referral.rlClick}">` : null}
${v.referral.ref ? html`<input type="hidden" name="ref" value="${v.referral.ref}">` : null}
${v.embed ? html`<input type="hidden" name="embed" value="1">` : null}
<button class="btn wide" type="submit">Join and get my link</button>
</form>
</section>`;
}

/** A page with one message (closed campaign, already joined, refusals, not found). */
export function messageBody(title: string, paragraphs: Array<string | SafeHtml>): SafeHtml {
  return html`<section class="card" aria-labelledby="title"><h1 id="title">${title}</h1>${paragraphs.map((p) => html`<p>${p}</p>`)}</section>`;
}
