import fs from 'node:fs';
import path from 'node:path';
import { eventEnvelopeSchema } from '../../../core/src/events/schemas';
import { apiCaller, runSampleScenario } from '../../../core/src/events/sample-scenario';
import { eventTypes, type EventType } from '../../../core/src/events/types';
import { startTestHub, type TestHub } from '../../support/hub';
import { eventually, startReceiver, type Receiver } from '../webhooks/receiver';

const samplesDir = path.join(__dirname, '../../../core/src/events/samples');

/** The structure of a JSON value: keys (in order) and value kinds, recursively; values themselves do not matter. */
function shape(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? ['empty'] : [shape(value[0])];
  if (typeof value === 'object') return Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, shape(v)]);
  return typeof value;
}

describe('event samples', () => {
  let t: TestHub;
  let gone: Receiver;
  let delivered: Receiver;
  const real = new Map<EventType, any[]>();

  beforeAll(async () => {
    t = await startTestHub();
    gone = await startReceiver(() => ({ status: 410 }));
    delivered = await startReceiver();
    // Every event type, as a webhook receives it.
    await t.api('/v1/webhooks', { body: { url: delivered.url, events: ['*'] } });
    await runSampleScenario(apiCaller(t.url, t.secretKey), gone.url);
    await delivered.waitFor((all) => eventTypes.every((type) => all.some((r) => r.json?.type === type)));
    for (const r of delivered.received) real.set(r.json.type, [...(real.get(r.json.type) ?? []), r.json]);
  });
  afterAll(async () => {
    await t.close();
    await gone.close();
    await delivered.close();
  });

  it.each([...eventTypes])('%s: the sample file has exactly the shape of a real delivery', (type) => {
    const sample = JSON.parse(fs.readFileSync(path.join(samplesDir, `${type}.json`), 'utf8'));
    const schema = eventEnvelopeSchema(type);
    expect(schema.safeParse(sample).error).toBeUndefined();
    const deliveries = real.get(type) ?? [];
    for (const d of deliveries) expect(schema.safeParse(d).error).toBeUndefined();
    // Two rewards of different kinds may be created at once: the sample must match one of them.
    expect(deliveries.map(shape)).toContainEqual(shape(sample));
  });

  it('lists the same envelopes in the polling feed as it delivers', async () => {
    const feed = await eventually(async () => {
      const res = await t.api('/v1/events?limit=100');
      return res.body.data.length >= delivered.received.length ? res.body.data : null;
    });
    for (const r of delivered.received) expect(feed).toContainEqual(r.json);
  });
});
