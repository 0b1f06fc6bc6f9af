/* global document */
// Referrals over time as an inline SVG bar chart: one bar a day, with a text summary for
// screen readers (the picture alone says nothing to them).
const SVG = 'http://www.w3.org/2000/svg';

function el(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

/** Count items per UTC day over the last `days` days (today included). */
export function perDay(isoDates, days, now = new Date()) {
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const buckets = [];
  for (let i = days - 1; i >= 0; i--) buckets.push({ day: new Date(end - i * 86400000).toISOString().slice(0, 10), n: 0 });
  const index = new Map(buckets.map((b, i) => [b.day, i]));
  for (const iso of isoDates) {
    const i = index.get(String(iso).slice(0, 10));
    if (i !== undefined) buckets[i].n++;
  }
  return buckets;
}

export function barChart(buckets, label) {
  const width = 600;
  const height = 160;
  const pad = 24;
  const max = Math.max(1, ...buckets.map((b) => b.n));
  const total = buckets.reduce((a, b) => a + b.n, 0);
  const svg = el('svg', { viewBox: `0 0 ${width} ${height + pad}`, role: 'img', class: 'chart', 'aria-labelledby': 'chart-title' });
  const title = el('title', { id: 'chart-title' });
  title.textContent = `${label}: ${total} in the last ${buckets.length} days, at most ${max} on one day`;
  svg.append(title);
  const bw = (width - pad) / buckets.length;
  svg.append(el('line', { x1: pad, y1: height, x2: width, y2: height, class: 'axis' }));
  const top = el('text', { x: 0, y: 12, class: 'tick' });
  top.textContent = String(max);
  svg.append(top);
  buckets.forEach((b, i) => {
    const bh = (b.n / max) * (height - 16);
    const rect = el('rect', { x: pad + i * bw + 1, y: height - bh, width: Math.max(1, bw - 2), height: bh, class: 'bar' });
    const tip = el('title', {});
    tip.textContent = `${b.day}: ${b.n}`;
    rect.append(tip);
    svg.append(rect);
    // Weekly ticks counted back from today, so the last one is today and none overlap.
    if ((buckets.length - 1 - i) % 7 === 0) {
      const t = el('text', { x: pad + i * bw, y: height + 16, class: 'tick' });
      t.textContent = b.day.slice(5);
      svg.append(t);
    }
  });
  return svg;
}
