// npm run deploy -w make-app – create or update the Referloop app on a Make account
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { deployApp } from './deploy';
import { readManifest } from './manifest';

const envSchema = z.object({
  MAKE_API_TOKEN: z.string().min(1).optional(),
  MAKE_ZONE: z.string().regex(/^[a-z0-9.-]+(:\d+)?$|^\[::1\](:\d+)?$/, 'a host such as eu1.make.com').optional(),
  MAKE_ORIGIN: z.string().min(1).optional(),
  MAKE_APP_DIR: z.string().min(1).optional(),
});

/** The token from MAKE_API_TOKEN, else from the origin's apikeyFile (the apps editor keeps it there). */
function token(env: z.infer<typeof envSchema>, appDir: string, originLabel: string | undefined): string {
  if (env.MAKE_API_TOKEN) return env.MAKE_API_TOKEN;
  const origin = readManifest(appDir).origins.find((o) => originLabel === undefined || o.label === originLabel);
  if (!origin) throw new Error(`no origin labelled "${originLabel}" in makecomapp.json`);
  const file = isAbsolute(origin.apikeyFile) ? origin.apikeyFile : join(appDir, origin.apikeyFile);
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    throw new Error(`set MAKE_API_TOKEN, or put the token in ${origin.apikeyFile} (see make-app/README.md)`);
  }
}

/** The zone from MAKE_ZONE, else the host of the origin's baseUrl (`https://eu1.make.com/api`). */
function zone(env: z.infer<typeof envSchema>, appDir: string, originLabel: string | undefined): string {
  if (env.MAKE_ZONE) return env.MAKE_ZONE;
  const origin = readManifest(appDir).origins.find((o) => originLabel === undefined || o.label === originLabel);
  if (!origin) throw new Error(`no origin labelled "${originLabel}" in makecomapp.json`);
  return new URL(origin.baseUrl).host;
}

async function main(): Promise<void> {
  const env = envSchema.parse(process.env);
  const appDir = env.MAKE_APP_DIR ?? join(__dirname, '..');
  const report = await deployApp({
    appDir,
    token: token(env, appDir, env.MAKE_ORIGIN),
    zone: zone(env, appDir, env.MAKE_ORIGIN),
    origin: env.MAKE_ORIGIN,
    log: (line) => console.log(line),
  });
  const created = report.components.filter((c) => c.action === 'created').length;
  console.log(`deployed ${report.app.name} v${report.app.version}: ${report.components.length} components (${created} created)`);
  if (report.manifestUpdated) console.log('makecomapp.json now maps the new remote names: commit it');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
