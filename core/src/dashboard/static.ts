import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type express from 'express';
import type { Request, Response } from 'express';

const UI_DIR = path.join(__dirname, 'ui');
const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

/** The dashboard's files, read once: served from memory under a path named by their joint hash. */
interface UiBundle {
  version: string;
  files: Map<string, { body: Buffer; type: string }>;
  index: string;
}

function loadUi(): UiBundle {
  const files = new Map<string, { body: Buffer; type: string }>();
  const hash = createHash('sha256');
  for (const name of fs.readdirSync(UI_DIR).sort()) {
    const type = TYPES[path.extname(name)];
    if (!type) continue;
    const body = fs.readFileSync(path.join(UI_DIR, name));
    hash.update(name).update(body);
    files.set(name, { body, type });
  }
  // A new build gets a new path, so browsers may keep every asset for a year without going stale.
  const version = hash.digest('hex').slice(0, 12);
  const base = `/app/assets/${version}`;
  const index = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Referloop dashboard</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${base}/styles.css">
<script type="module" src="${base}/main.js"></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<div id="app"><main id="main" tabindex="-1"><p class="muted">Loading…</p></main></div>
<noscript>The Referloop dashboard needs JavaScript.</noscript>
</body>
</html>
`;
  return { version, files, index };
}

/** Headers every dashboard response carries: nothing inline, nothing from elsewhere, no framing. */
function setSecurityHeaders(res: Response): void {
  res.set({
    'Content-Security-Policy': [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "connect-src 'self'",
      "form-action 'self'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'same-origin',
  });
}

/** `GET /app` (the page; routes live in the URL fragment) and `GET /app/assets/{version}/{file}`. */
export function mountStatic(app: express.Express): void {
  const ui = loadUi();
  const page = (_req: Request, res: Response) => {
    setSecurityHeaders(res);
    res.set({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' });
    res.send(ui.index);
  };
  app.get('/app', page);
  app.get('/app/', page);
  app.get('/app/assets/:version/:file', (req: Request, res: Response, next) => {
    const file = ui.files.get(String(req.params.file));
    if (!file || req.params.version !== ui.version) return next();
    setSecurityHeaders(res);
    res.set({ 'Content-Type': file.type, 'Cache-Control': 'public, max-age=31536000, immutable' });
    res.send(file.body);
  });
}
