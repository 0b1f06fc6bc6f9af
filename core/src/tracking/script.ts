// GET /t.js – the tracking snippet: small, dependency-free, cached, served gzipped when the browser accepts it
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type express from 'express';
import { sha256Hex } from '../lib/crypto';

/** The snippet as served: the source, its gzip, and an ETag for revalidation. */
export interface SnippetAsset {
  source: Buffer;
  gzipped: Buffer;
  etag: string;
}

let asset: SnippetAsset | null = null;

/** Read (once per process) the snippet source shipped in core/src/tracking/snippet/. */
export function snippetAsset(): SnippetAsset {
  if (!asset) {
    const source = fs.readFileSync(path.join(__dirname, 'snippet', 'referloop.js'));
    asset = { source, gzipped: gzipSync(source, { level: 9 }), etag: `"${sha256Hex(source.toString('utf8')).slice(0, 16)}"` };
  }
  return asset;
}

/** Mount GET /t.js. An hour of caching: a new snippet reaches every site within the hour. */
export function mountSnippetScript(app: express.Express): void {
  app.get('/t.js', (req, res) => {
    const { source, gzipped, etag } = snippetAsset();
    res.set({
      'Content-Type': 'application/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=3600',
      ETag: etag,
      Vary: 'Accept-Encoding',
      // Sites that isolate themselves (COEP) may still load it.
      'Cross-Origin-Resource-Policy': 'cross-origin',
    });
    if (req.headers['if-none-match'] === etag) return void res.status(304).end();
    if (/\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
      res.set('Content-Encoding', 'gzip');
      return void res.end(gzipped);
    }
    res.end(source);
  });
}
