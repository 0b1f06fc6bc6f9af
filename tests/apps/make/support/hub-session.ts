import { startTestHub, type TestHub } from '../../../support/hub';
import { loadApp, type LoadedApp } from '../runtime/app';
import type { ConnectionValues } from '../runtime/runner';
import { parseParams } from '../runtime/parameters';
import { interfaceProblems } from './interface-check';

/** A live hub, the app as the evaluator loads it, and a Make connection to the hub's workspace. */
export interface MakeSession {
  t: TestHub;
  app: LoadedApp;
  connection: ConnectionValues;
}

export async function startMakeSession(): Promise<MakeSession> {
  const t = await startTestHub();
  // The connection holds what a user types into Make's connection dialog.
  return { t, app: loadApp(), connection: { hubUrl: t.url, apiKey: t.secretKey } };
}

/** Interface mismatches between a module's declared output and a bundle it produced. */
export function outputProblems(app: LoadedApp, moduleId: string, bundle: unknown, mode: 'exact' | 'subset' = 'exact'): string[] {
  return interfaceProblems(parseParams(app.components.module[moduleId].codes.interface), bundle, mode);
}
