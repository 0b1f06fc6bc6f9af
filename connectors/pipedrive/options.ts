import type { AccountOptions, FieldOption } from '../contract';
import { openPipedrive, type PipedriveContext } from './client';
import { builtIn, isMappable, listFields, listPipelines, listStages, type Field } from './fields';

/**
 * What the Pipedrive settings form chooses from: the deal pipelines with their stages in
 * Pipedrive's order (ids stay numbers, as the settings store them), and the person and deal fields
 * a field map may name — the built-in `name` / `title` Pipedrive requires, and the custom text
 * fields by their 40-character keys. The same calls and rules as `prepareSettings` (fields.ts), so
 * whatever the form offers passes the check when the settings are saved.
 */

function fieldOptions(object: 'person' | 'deal', fields: Field[]): FieldOption[] {
  return fields
    .filter((f) => isMappable(object, f))
    .map((f) => {
      const required = f.key === builtIn[object];
      return { key: f.key, name: f.name, type: f.field_type, custom: !required, required };
    });
}

/** Pipelines, stages and mappable fields of the Pipedrive company the credentials open. */
export async function describeOptions(ctx: PipedriveContext): Promise<AccountOptions> {
  const pd = await openPipedrive(ctx);
  // One call after another: they share the company's rate budget.
  const person = await listFields(pd, 'person');
  const deal = await listFields(pd, 'deal');
  const pipelines = await listPipelines(pd);
  const stages = await listStages(pd);
  const byOrder = (a: { order_nr?: number; id: number }, b: { order_nr?: number; id: number }) => (a.order_nr ?? a.id) - (b.order_nr ?? b.id) || a.id - b.id;
  return {
    pipelines: [...pipelines].sort(byOrder).map((p) => ({
      id: p.id,
      name: p.name,
      stages: stages
        .filter((s) => s.pipeline_id === p.id)
        .sort(byOrder)
        .map((s) => ({ id: s.id, name: s.name })),
    })),
    picklists: {},
    fields: { person: fieldOptions('person', person), deal: fieldOptions('deal', deal) },
  };
}
