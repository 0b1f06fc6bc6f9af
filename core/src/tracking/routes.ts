// /t.js and POST /t/v1/identify|track – the website snippet's script and its two publishable-key routes
import express, { type Request, type Response } from 'express';
import type { Hub } from '../hub';
import { authenticateKey } from '../domain/workspaces';
import { bearerKey } from '../http/auth';
import { parseOrThrow } from '../http/validation';
import { ApiError } from '../lib/errors';
import { hashIp } from '../lib/ip';
import { identifyVisitor } from './identify';
import { normalizeOrigin, workspaceOrigins } from './origins';
import { identifyPayloadSchema, trackPayloadSchema, trackingQuerySchema, type TrackAnswer } from './payloads';
import { RateLimiter } from './rate-limit';
import { mountSnippetScript } from './script';
import { trackFromSnippet } from './track';

/** Requests per minute one IP may send to the tracking routes (a page makes two or three). */
export const TRACKING_RATE_LIMIT = 120;

function keyOf(req: Request, body: unknown): string | null {
  const q = trackingQuerySchema.safeParse(req.query);
  if (q.success && q.data.key) return q.data.key;
  if (body && typeof body === 'object' && 'key' in body && typeof body.key === 'string') return body.key;
  return bearerKey(req);
}

/** The workspace of a publishable key; a secret key is refused here so it never ends up in a page. */
async function publishableWorkspace(hub: Hub, key: string | null): Promise<string> {
  if (!key) throw new ApiError('unauthorized', 'Send your publishable key: referloop("init", {key: "rl_pk_…"})');
  if (key.startsWith('rl_sk_')) throw new ApiError('forbidden', 'Never put a secret key (rl_sk_…) in a web page: the snippet takes the publishable key (rl_pk_…)');
  const principal = await authenticateKey(hub.db, key);
  if (!principal || principal.kind !== 'publishable') throw new ApiError('unauthorized', 'The publishable key is not valid or has been revoked');
  return principal.workspaceId;
}

/** Let the page read the answer when its origin is one the workspace's campaigns allow. */
async function allowReading(hub: Hub, res: Response, workspaceId: string, origin: string | null): Promise<boolean> {
  res.vary('Origin');
  if (!origin || !(await workspaceOrigins(hub.db, workspaceId)).has(origin)) return false;
  res.set('Access-Control-Allow-Origin', origin);
  return true;
}

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string' || text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError('validation_failed', 'The request body is not valid JSON', [{ path: '(body)', message: 'invalid JSON' }]);
  }
}

/** Mount the snippet script and its routes; `limit` requests per IP per minute on the routes. */
export function mountTracking(app: express.Express, hub: Hub, limit = TRACKING_RATE_LIMIT): void {
  mountSnippetScript(app);
  const limiter = new RateLimiter(limit, 60_000);

  app.use('/t/v1', (req, res, next) => {
    const wait = limiter.hit(req.ip ?? req.socket.remoteAddress ?? 'unknown');
    if (wait === 0) return next();
    res.set('Retry-After', String(wait));
    throw new ApiError('rate_limited', `Too many tracking requests from this address; retry in ${wait} s`);
  });

  // Preflight: browsers only send one when a page posts JSON itself (the snippet posts text/plain).
  app.options('/t/v1/:action', async (req, res) => {
    const workspaceId = await publishableWorkspace(hub, keyOf(req, null));
    if (!(await allowReading(hub, res, workspaceId, normalizeOrigin(req.get('origin'))))) {
      throw new ApiError('forbidden', 'This origin is not allowed by any campaign of the workspace');
    }
    res.set({ 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Allow-Headers': 'Content-Type', 'Access-Control-Max-Age': '600' });
    res.status(204).end();
  });

  // Any content type is read as JSON text: text/plain is what keeps the snippet's requests simple.
  const text = express.text({ type: () => true, limit: '16kb' });

  app.post('/t/v1/identify', text, async (req, res) => {
    const body = parseJson(req.body);
    const workspaceId = await publishableWorkspace(hub, keyOf(req, body));
    const origin = normalizeOrigin(req.get('origin'));
    await allowReading(hub, res, workspaceId, origin);
    const payload = parseOrThrow(identifyPayloadSchema, body, 'body');
    res.json(await identifyVisitor(hub, workspaceId, payload, { origin, ipHash: hashIp(hub.ipSalt, req.ip) }));
  });

  app.post('/t/v1/track', text, async (req, res) => {
    const body = parseJson(req.body);
    const workspaceId = await publishableWorkspace(hub, keyOf(req, body));
    const origin = normalizeOrigin(req.get('origin'));
    await allowReading(hub, res, workspaceId, origin);
    const payload = parseOrThrow(trackPayloadSchema, body, 'body');
    const { conversion, duplicate, qualification } = await trackFromSnippet(hub, workspaceId, payload, { origin, ipHash: hashIp(hub.ipSalt, req.ip) });
    const answer: TrackAnswer = { conversion_id: conversion.id, duplicate, referral_qualified: qualification?.changed === true && qualification.referral.referral_status === 'qualified' };
    res.status(duplicate ? 200 : 201).json(answer);
  });
}
