/* global document */
// Referrals over time as an inline SVG: per day, a solid bar for referred sign-ups beside a hatched,
// outlined bar for qualified referrals. Fill pattern, outline, legend words and the text summary all
// tell the two apart, so colour is never the only signal; the summary and the per-day table say it
// all to screen readers, for whom the picture alone says nothing.
import { h } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
// The stylesheet's accent and "ok" colours: the chart draws with attributes (no inline styles under the CSP).
const QUALIFIED_INK = '#116329';
let chartSeq = 0;

function el(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Diagonal hatching in the qualified colour, for bars and the legend swatch. */
function hatch(id) {
  const pattern = el('pattern', { id, width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' });
  pattern.append(el('rect', { width: 6, height: 6, fill: '#fff' }), el('line', { x1: 0, y1: 0, x2: 0, y2: 6, stroke: QUALIFIED_INK, 'stroke-width': 3 }));
  return pattern;
}

function qualifiedBar(attrs, hatchId) {
  return el('rect', { ...attrs, fill: `url(#${hatchId})`, stroke: QUALIFIED_INK, 'stroke-width': 1 });
}

/** "Mar 3" for a YYYY-MM-DD day, read as UTC. */
export function shortDay(day) {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/** Totals and the busiest day of a range of daily figures. */
export function summarize(days) {
  const sum = (k) => days.reduce((a, d) => a + d[k], 0);
  const busiest = days.reduce((best, d) => (d.referred > (best ? best.referred : 0) ? d : best), null);
  return { referred: sum('referred'), qualified: sum('qualified'), clicks: sum('clicks'), busiest };
}

/** One sentence with the range's figures, for everyone (and the chart's accessible name says the same). */
export function summaryText(days) {
  if (days.length === 0) return 'No figures for this range.';
  const s = summarize(days);
  const range = `${shortDay(days[0].day)} – ${shortDay(days[days.length - 1].day)}`;
  const busiest = s.busiest ? ` Busiest day: ${shortDay(s.busiest.day)} with ${plural(s.busiest.referred, 'sign-up', 'sign-ups')}.` : '';
  return `Last ${days.length} days (${range}): ${plural(s.referred, 'referred sign-up', 'referred sign-ups')}, ${plural(s.qualified, 'qualified referral', 'qualified referrals')}, ${plural(s.clicks, 'click', 'clicks')} by people.${busiest}`;
}

function svgChart(days) {
  const width = 600;
  const height = 160;
  const pad = 24;
  const max = Math.max(1, ...days.map((d) => Math.max(d.referred, d.qualified)));
  const s = summarize(days);
  const hatchId = `chart-hatch-${++chartSeq}`;
  const titleId = `chart-title-${chartSeq}`;
  const svg = el('svg', { viewBox: `0 0 ${width} ${height + pad}`, role: 'img', class: 'chart', 'aria-labelledby': titleId });
  svg.append(
    el(
      'title',
      { id: titleId },
      `Referred sign-ups per day: ${s.referred} in the last ${days.length} days, at most ${max} on one day; qualified referrals per day: ${s.qualified} in the last ${days.length} days`,
    ),
  );
  const defs = el('defs', {});
  defs.append(hatch(hatchId));
  svg.append(defs, el('line', { x1: pad, y1: height, x2: width, y2: height, class: 'axis' }), el('text', { x: 0, y: 12, class: 'tick' }, String(max)));
  const slot = (width - pad) / days.length;
  const bw = Math.max(1, (slot - 2) / 2);
  const barHeight = (n) => (n / max) * (height - 16);
  days.forEach((d, i) => {
    const x = pad + i * slot + 1;
    const group = el('g', {});
    group.append(el('title', {}, `${d.day}: ${plural(d.referred, 'referred sign-up', 'referred sign-ups')}, ${d.qualified} qualified`));
    const rh = barHeight(d.referred);
    const qh = barHeight(d.qualified);
    if (rh > 0) group.append(el('rect', { x, y: height - rh, width: bw, height: rh, class: 'bar' }));
    if (qh > 0) group.append(qualifiedBar({ x: x + bw, y: height - qh, width: bw, height: qh }, hatchId));
    svg.append(group);
    // Weekly ticks counted back from the last day, so the last one is today and none overlap.
    if ((days.length - 1 - i) % 7 === 0) svg.append(el('text', { x: pad + i * slot, y: height + 16, class: 'tick' }, d.day.slice(5)));
  });
  return { svg, hatchId };
}

function swatch(kind, hatchId) {
  const svg = el('svg', { width: 14, height: 14, viewBox: '0 0 14 14', 'aria-hidden': 'true', focusable: 'false' });
  if (kind === 'referred') svg.append(el('rect', { x: 1, y: 1, width: 12, height: 12, fill: '#0b57d0' }));
  else svg.append(qualifiedBar({ x: 1, y: 1, width: 12, height: 12 }, hatchId));
  return svg;
}

/** The per-day figures as a table, folded away: the chart's data in a form every reader can use. */
function dataTable(days) {
  return h(
    'details',
    {},
    h('summary', {}, 'Figures per day'),
    h(
      'table',
      { class: 'daily' },
      h('caption', { class: 'sr-only' }, 'Referred sign-ups, qualified referrals and clicks by people per day'),
      h('thead', {}, h('tr', {}, ['Day', 'Referred', 'Qualified', 'Clicks'].map((t) => h('th', { scope: 'col' }, t)))),
      h(
        'tbody',
        {},
        [...days].reverse().map((d) => h('tr', {}, h('th', { scope: 'row' }, shortDay(d.day)), h('td', {}, String(d.referred)), h('td', {}, String(d.qualified)), h('td', {}, String(d.clicks)))),
      ),
    ),
  );
}

/**
 * The chart of `GET /v1/campaigns/{id}/stats/daily` entries (oldest first): the picture, its legend,
 * a one-sentence summary and the figures per day.
 */
export function dailyChart(days) {
  const { svg, hatchId } = svgChart(days);
  return h(
    'div',
    { class: 'daily-chart' },
    svg,
    h('p', { class: 'legend' }, swatch('referred', hatchId), ' Referred sign-ups (solid) ', swatch('qualified', hatchId), ' Qualified referrals (hatched)'),
    h('p', { class: 'chart-summary' }, summaryText(days)),
    dataTable(days),
  );
}
