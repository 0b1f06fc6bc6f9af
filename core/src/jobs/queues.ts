import { jobCatalog } from './catalog';

export interface QueueSpec {
  name: string;
  types: string[];
  concurrency: number;
}

/** The queues the catalogue's job types run on, each with the concurrency its first type declares. */
export function queueSpecs(): QueueSpec[] {
  const specs = new Map<string, QueueSpec>();
  for (const type of jobCatalog().values()) {
    const spec = specs.get(type.queue);
    if (spec) spec.types.push(type.name);
    else specs.set(type.queue, { name: type.queue, types: [type.name], concurrency: type.concurrency });
  }
  return [...specs.values()];
}
