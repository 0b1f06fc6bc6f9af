import { escapeHtml } from './html';

/** What a customer pastes into their own site to show a campaign's join form. */
export interface CampaignEmbed {
  /** The iframe-friendly join page. */
  url: string;
  /** The iframe plus the script that sizes it and passes the visitor's referral into it. */
  snippet: string;
}

/**
 * The embed of a campaign's join page. The hub's base URL is the part of the join URL before
 * `/join/` (the hub may live under a path prefix). The page only renders inside sites listed in
 * the campaign's `allowed_origins`.
 */
export function campaignEmbed(joinUrl: string, campaignName: string): CampaignEmbed {
  const base = joinUrl.slice(0, joinUrl.lastIndexOf('/join/'));
  const url = `${joinUrl}?embed=1`;
  const snippet =
    `<iframe src="${escapeHtml(url)}" title="${escapeHtml(`Join ${campaignName}`)}" data-referloop ` +
    `style="width:100%;height:520px;border:0" allow="clipboard-write; web-share" loading="lazy"></iframe>\n` +
    `<script src="${escapeHtml(`${base}/embed.js`)}" async></script>`;
  return { url, snippet };
}
