import type { Links } from '../domain/links';
import { html, type SafeHtml } from './html';
import { describeReward, referralStatusLabel, rewardStatusLabel } from './progress';
import type { ShareData } from './share-data';
import { shareButtons, taggedLink } from './share-links';

function progressBlock(d: ShareData): SafeHtml {
  const p = d.progress;
  const perFriend = d.perFriend.map((r) => html`<p>Each friend who qualifies earns you ${r}.</p>`);
  if (!p && perFriend.length === 0) return html``;
  return html`<section class="card" aria-labelledby="progress-title">
<h2 id="progress-title">Your progress</h2>
${p
    ? html`<p id="progress-text">${p.text}</p>
<progress max="${p.target}" value="${p.current}" aria-labelledby="progress-text">${p.current} of ${p.target}</progress>`
    : null}
${perFriend}
</section>`;
}

function friendsBlock(d: ShareData): SafeHtml {
  const count = d.friendsTotal;
  return html`<section class="card" aria-labelledby="friends-title">
<h2 id="friends-title">Your referrals${count > 0 ? ` (${count})` : ''}</h2>
${d.friends.length === 0
    ? html`<p class="muted">No one has joined through your link yet. Share it and your friends will show up here.</p>`
    : html`<ul class="list" id="referrals">${d.friends.map((f) => {
        const s = referralStatusLabel(f.referral_status);
        return html`<li><span>${f.first_name ?? 'A friend'} <span class="muted">${f.masked_email}</span></span><span class="tag ${s.tone}">${s.label}</span></li>`;
      })}</ul>`}
</section>`;
}

function rewardsBlock(d: ShareData): SafeHtml {
  if (d.rewards.length === 0) return html``;
  return html`<section class="card" aria-labelledby="rewards-title">
<h2 id="rewards-title">Your rewards</h2>
<ul class="list" id="rewards">${d.rewards.map(
    (r) => html`<li><span>${describeReward(r)}</span><span class="tag ${r.status === 'declined' ? 'unqualified' : r.status === 'pending' || r.status === 'delayed' ? 'pending' : 'qualified'}">${rewardStatusLabel(r)}</span></li>`,
  )}</ul>
</section>`;
}

/** The participant's own page: their link, QR code, share buttons, friends, rewards and progress. */
export function shareBody(d: ShareData, links: Links): SafeHtml {
  const page = d.settings.page;
  const link = links.referralLink(d.participant.code);
  const message = page.headline ?? `Join me at ${d.campaign.name}`;
  const hello = d.participant.first_name ? `You're in, ${d.participant.first_name}!` : "You're in!";
  return html`<section class="card" aria-labelledby="title">
<h1 id="title">${hello}</h1>
${page.reward_text ? html`<p class="reward">${page.reward_text}</p>` : null}
<label for="referral-link">Your referral link</label>
<div class="linkrow">
<input id="referral-link" type="url" readonly value="${link}">
<button class="btn" id="copy-link" type="button" hidden>Copy</button>
</div>
<p id="copy-status" class="muted" role="status" aria-live="polite"></p>
<img class="qr" id="qr" src="${links.qrUrl(d.participant.code)}" width="160" height="160" alt="QR code of your referral link">
</section>
<section class="card" aria-labelledby="share-title">
<h2 id="share-title">Share your link</h2>
<ul class="share">
${shareButtons(link, message).map(
    (b) => html`<li><a href="${b.href}" data-channel="${b.channel}"${b.newTab ? html` target="_blank" rel="noopener noreferrer"` : null}>${b.label}<span class="sr-only"> (share your link)</span></a></li>`,
  )}
<li id="native-share-item" hidden><button type="button" id="native-share" data-text="${message}" data-url="${taggedLink(link, 'native')}">More…</button></li>
</ul>
</section>
${progressBlock(d)}
${friendsBlock(d)}
${rewardsBlock(d)}`;
}
