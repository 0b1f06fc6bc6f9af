/**
 * Regenerate ./samples/<type>.json from a real run: a hub in memory with its worker, the sample
 * scenario over HTTP, then the newest event of each type from the feed. The Zapier, Make and n8n
 * apps copy these files as their sample data; tests/core/events/samples.test.ts checks them.
 *
 *   node -r tsx/cjs core/src/events/generate-samples.ts
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { loadConfig } from '../config';
import { createWorkspace } from '../domain/workspaces';
import { createHub } from '../hub';
import { startBackground } from '../jobs/background';
import { apiCaller, runSampleScenario } from './sample-scenario';
import { eventTypes } from './types';

const PUBLIC_URL = 'https://referloop.example.com';
const SHOWN_HOOK_URL = 'https://hooks.example.com/referloop';

async function main() {
  const gone = http.createServer((_req, res) => res.writeHead(410).end('This hook was deleted'));
  await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
  const goneUrl = `http://127.0.0.1:${(gone.address() as AddressInfo).port}/hooks/old-zap`;

  const config = loadConfig({ PUBLIC_URL, LOG_LEVEL: 'warn', ALLOW_PRIVATE_WEBHOOK_URLS: 'true', REFERLOOP_SECRET: 'x'.repeat(40) });
  const hub = await createHub({ config, inMemory: true });
  const { url } = await hub.listen(0, '127.0.0.1');
  await startBackground(hub);
  const { secret } = await createWorkspace(hub.db, 'Acme Inc');
  const call = apiCaller(url, secret.key);
  await runSampleScenario(call, goneUrl);

  const outDir = path.join(__dirname, 'samples');
  fs.mkdirSync(outDir, { recursive: true });
  const deadline = Date.now() + 15_000;
  for (const type of eventTypes) {
    let event: unknown;
    while (!event) {
      const feed = await call(`/v1/events?type=${type}&limit=1`);
      event = z.object({ data: z.array(z.unknown()) }).parse(feed.body).data[0];
      if (!event && Date.now() > deadline) throw new Error(`no ${type} event in the feed`);
      if (!event) await new Promise((r) => setTimeout(r, 100));
    }
    const text = JSON.stringify(event, null, 2).split(goneUrl).join(SHOWN_HOOK_URL);
    fs.writeFileSync(path.join(outDir, `${type}.json`), `${text}\n`);
    process.stdout.write(`wrote samples/${type}.json\n`);
  }
  await hub.close();
  gone.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
