import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { PlainInputField } from 'zapier-platform-core';
import { compileApp, validateApp } from 'zapier-platform-core/src/tools/schema';
import { app, instantTriggers } from './harness';

const coreSamples = path.resolve(__dirname, '../../../core/src/events/samples');
const appSamples = path.resolve(__dirname, '../../../zapier-app/src/samples');

describe('the Zapier app definition', () => {
  it("passes Zapier's own schema validation", () => {
    expect(validateApp(compileApp(app))).toEqual([]);
  });

  it('is really checked: a trigger without a noun fails the same validation', () => {
    const { noun: _noun, ...broken } = app.triggers.new_referral;
    const errors = validateApp(compileApp({ ...app, triggers: { ...app.triggers, new_referral: broken } }));
    expect(errors.map((e) => e.stack).join('\n')).toMatch(/triggers\.new_referral.*noun/);
  });

  it('offers the instant triggers, the actions and the searches of the issue', () => {
    const visible = (group: Record<string, { display: { label?: string; hidden?: boolean } }>) =>
      Object.entries(group)
        .filter(([, op]) => !op.display.hidden)
        .map(([key]) => key)
        .sort();
    expect(visible(app.triggers)).toEqual(instantTriggers.map(([key]) => key).sort());
    expect(visible(app.creates)).toEqual(
      ['add_participant', 'approve_reward', 'decline_reward', 'issue_reward', 'qualify_referral_code', 'qualify_referral_email', 'track_conversion', 'unqualify_referral'].sort(),
    );
    expect(visible(app.searches)).toEqual(['find_participant', 'find_referral', 'find_reward']);
  });

  it.each(instantTriggers)('%s is a REST hook on %s with an optional campaign filter', (key, type) => {
    const op = app.triggers[key].operation;
    expect(op.type).toBe('hook');
    if (op.type !== 'hook') return;
    for (const fn of [op.performSubscribe, op.performUnsubscribe, op.perform, op.performList]) expect(typeof fn).toBe('function');
    expect(op.inputFields).toEqual([expect.objectContaining({ key: 'campaign_id', dynamic: 'campaign_list.id.name' })]);
    expect(op.inputFields?.[0]).not.toHaveProperty('required', true);
    expect(op.sample).toMatchObject({ type });
  });

  it("uses the hub's event samples, kept identical to core's", () => {
    const coreFiles = readdirSync(coreSamples).filter((f) => f.endsWith('.json'));
    for (const [, type] of instantTriggers) expect(coreFiles).toContain(`${type}.json`);
    // When this fails, run `npm run -w zapier-app sync-samples`.
    expect(readdirSync(appSamples).sort()).toEqual(coreFiles.sort());
    for (const file of coreFiles) {
      const ours: unknown = JSON.parse(readFileSync(path.join(appSamples, file), 'utf8'));
      const core: unknown = JSON.parse(readFileSync(path.join(coreSamples, file), 'utf8'));
      expect({ file, sample: ours }).toEqual({ file, sample: core });
    }
    for (const [key, type] of instantTriggers) {
      const core: unknown = JSON.parse(readFileSync(path.join(coreSamples, `${type}.json`), 'utf8'));
      expect({ key, sample: app.triggers[key].operation.sample }).toEqual({ key, sample: core });
    }
  });

  it('labels every input field, helps with the ones that need it, and labels every output field', () => {
    const operations = [...Object.values(app.triggers), ...Object.values(app.creates), ...Object.values(app.searches)].map((o) => o.operation);
    for (const op of operations) {
      for (const input of 'inputFields' in op ? op.inputFields : []) {
        const field: PlainInputField = input;
        expect({ key: field.key, label: typeof field.label }).toEqual({ key: field.key, label: 'string' });
        if (field.required || field.dynamic || !/name$/.test(field.key)) {
          expect({ key: field.key, helpText: typeof field.helpText }).toEqual({ key: field.key, helpText: 'string' });
        }
      }
      for (const field of 'outputFields' in op ? op.outputFields : []) {
        if (typeof field === 'function') continue;
        expect({ key: field.key, label: typeof field.label }).toEqual({ key: field.key, label: 'string' });
      }
    }
  });

  it('pairs Find Participant with Add Participant as "Find or Add"', () => {
    expect(app.searchOrCreates?.find_participant).toMatchObject({ search: 'find_participant', create: 'add_participant' });
  });

  it('fills the campaign dropdowns from the hub and points reward fields at Find Reward', () => {
    const fields = app.creates.approve_reward.operation.inputFields;
    expect(fields).toContainEqual(expect.objectContaining({ key: 'reward_id', dynamic: 'reward_list.id.label', search: 'find_reward.id' }));
    expect(app.creates.add_participant.operation.inputFields).toContainEqual(
      expect.objectContaining({ key: 'campaign_id', required: true, dynamic: 'campaign_list.id.name' }),
    );
    expect(app.triggers.campaign_list.display.hidden).toBe(true);
  });
});
