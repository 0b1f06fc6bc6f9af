import type { CreatedKey } from '../domain/workspaces';

/** Keys are shown exactly once: on creation. */
export function printKeys(out: NodeJS.WritableStream, keys: CreatedKey[]): void {
  for (const k of keys) {
    out.write(`  ${k.kind === 'secret' ? 'Secret key     ' : 'Publishable key'}  ${k.key}\n`);
  }
  out.write('  Store them now: they are not shown again (only their hashes are kept).\n');
}
