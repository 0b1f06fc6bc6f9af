import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Files of the app in the apps editor's layout, relative to make-app/. The deploy script, the workspace's
 * package.json, .gitignore and installed packages are project files, not part of the Make app.
 */
const NOT_APP = new Set(['deploy', 'node_modules', 'package.json', '.gitignore', '.secrets']);

export function listAppFiles(appDir: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      if (dir === appDir && NOT_APP.has(e.name)) return [];
      const full = join(dir, e.name);
      return e.isDirectory() ? walk(full) : [relative(appDir, full).split('\\').join('/')];
    });
  return walk(appDir).sort();
}
