import fs from 'node:fs';
import path from 'node:path';
import { html, raw, type SafeHtml } from './html';

// Read once: both are inlined into every page (one request, a few KB, nothing from a CDN).
const CSS = fs.readFileSync(path.join(__dirname, 'client', 'page.css'), 'utf8');
const SCRIPT = fs.readFileSync(path.join(__dirname, 'client', 'page.js'), 'utf8');

const DEFAULT_BRAND = '#2747d6';

function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** Black or white text on the brand colour, whichever contrasts more (WCAG relative luminance). */
export function textOn(hex: string): string {
  const l = luminance(hex);
  return (1.05) / (l + 0.05) >= (l + 0.05) / 0.05 ? '#ffffff' : '#000000';
}

export interface PageOptions {
  title: string;
  nonce: string;
  embed: boolean;
  brandColor?: string;
  logoUrl?: string;
  /** Campaign name, the alt text of its logo. */
  brandName: string;
  /** `join`, `share` or `message`: told to the embedding page with each height. */
  page: string;
  /** Where the share page's copy/share beacons go. */
  eventsUrl?: string;
  noindex?: boolean;
  body: SafeHtml;
}

/** The shell of every public page: mobile-first, one inline style and script under a CSP nonce. */
export function renderPage(o: PageOptions): string {
  const brand = o.brandColor && /^#[0-9a-fA-F]{6}$/.test(o.brandColor) ? o.brandColor : DEFAULT_BRAND;
  const header = o.embed
    ? null
    : html`<header class="top">${o.logoUrl ? html`<img src="${o.logoUrl}" alt="${o.brandName}">` : html`<strong>${o.brandName}</strong>`}</header>`;
  const footer = o.embed ? null : html`<footer>Referral program run with Referloop</footer>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${o.noindex ? html`<meta name="robots" content="noindex, nofollow">` : null}
<title>${o.title}</title>
<style nonce="${o.nonce}">:root{--brand:${brand};--on-brand:${textOn(brand)}}
${raw(CSS)}</style>
</head>
<body class="${o.embed ? 'embed' : 'full'}" data-page="${o.page}"${o.eventsUrl ? html` data-events="${o.eventsUrl}"` : null}>
<div class="wrap">
${header}
<main id="main">
${o.body}
</main>
${footer}
</div>
<script nonce="${o.nonce}">${raw(SCRIPT)}</script>
</body>
</html>
`.value;
}
