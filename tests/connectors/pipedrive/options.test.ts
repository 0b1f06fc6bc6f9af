import { VendorError } from '../../../connectors/retry';
import { pipedriveConnector } from '../../../connectors/pipedrive';
import type { PipedriveCredentials } from '../../../connectors/pipedrive/settings';
import { startFakePipedrive, type FakePipedrive } from '../../fakes/pipedrive';

/** The connector called as core calls it: credentials, parsed settings, the SDK pointed at the fake. */
function context(pd: FakePipedrive, credentials: PipedriveCredentials, saved: PipedriveCredentials[] = []) {
  return {
    credentials,
    settings: pipedriveConnector.settingsSchema.parse({ pipeline_id: 1 }),
    apiBaseUrl: pd.url,
    webhookSecrets: {},
    now: () => new Date(),
    async saveCredentials(next: PipedriveCredentials) {
      saved.push(next);
    },
  };
}

describe('Pipedrive options: pipelines, stages and fields a settings form chooses from', () => {
  let pd: FakePipedrive;
  beforeEach(async () => {
    pd = await startFakePipedrive();
  });
  afterEach(async () => pd.close());

  const describeOptions = (credentials: PipedriveCredentials, saved?: PipedriveCredentials[]) => pipedriveConnector.describeOptions!(context(pd, credentials, saved));

  it('lists every pipeline with its stages in Pipedrive order, ids kept as the numbers settings store', async () => {
    pd.state.pipelines.push({ id: 3, name: 'Partners', order_nr: 0 });
    pd.state.stages.push({ id: 21, pipeline_id: 3, order_nr: 2, name: 'Signed' }, { id: 20, pipeline_id: 3, order_nr: 1, name: 'Intro call' });
    pd.state.stages.push({ id: 14, pipeline_id: 2, order_nr: 0, name: 'Referred in' });

    const options = await describeOptions({ api_token: pd.apiToken });

    expect(options.pipelines).toEqual([
      { id: 3, name: 'Partners', stages: [{ id: 20, name: 'Intro call' }, { id: 21, name: 'Signed' }] },
      { id: 1, name: 'Sales', stages: [{ id: 1, name: 'Qualified lead' }, { id: 2, name: 'Proposal' }, { id: 3, name: 'Negotiation' }] },
      {
        id: 2,
        name: 'Referrals',
        stages: [
          { id: 14, name: 'Referred in' },
          { id: 11, name: 'New referral' },
          { id: 12, name: 'Demo booked' },
          { id: 13, name: 'Customer' },
        ],
      },
    ]);
    expect(options.picklists).toEqual({});
    // Through the official SDK: v1 fields, v2 pipelines and stages, with the API token.
    expect(pd.fake.requestsTo('GET /api/v2/stages')[0].query).toMatchObject({ limit: '500' });
    for (const r of pd.fake.requests) expect(r.headers['x-api-token']).toBe(pd.apiToken);
  });

  it('offers the fields a mapping may name: the required name and title, and custom text fields by their 40-character keys', async () => {
    const code = pd.addField('person', 'Referral code');
    const notes = pd.addField('person', 'Referral notes', 'text');
    pd.addField('person', 'Birthday', 'date');
    const gone = pd.addField('person', 'Old referral link');
    pd.state.personFields.find((f) => f.key === gone)!.active_flag = false;
    const referrer = pd.addField('deal', 'Referred by', 'varchar_auto');
    pd.addField('deal', 'Plan', 'enum');

    const { fields } = await describeOptions({ api_token: pd.apiToken });

    expect(fields.person).toEqual([
      { key: 'name', name: 'Name', type: 'varchar', custom: false, required: true },
      { key: code, name: 'Referral code', type: 'varchar', custom: true, required: false },
      { key: notes, name: 'Referral notes', type: 'text', custom: true, required: false },
    ]);
    expect(fields.deal).toEqual([
      { key: 'title', name: 'Title', type: 'varchar', custom: false, required: true },
      { key: referrer, name: 'Referred by', type: 'varchar_auto', custom: true, required: false },
    ]);
    expect(code).toMatch(/^[0-9a-f]{40}$/);
  });

  it('reads fields and stages past the first page of 500', async () => {
    for (let i = 0; i < 510; i++) pd.addField('person', `Field ${i}`);
    for (let i = 0; i < 505; i++) pd.state.stages.push({ id: 100 + i, pipeline_id: 1, order_nr: 10 + i, name: `Step ${i}` });
    const { fields, pipelines } = await describeOptions({ api_token: pd.apiToken });
    expect(fields.person).toHaveLength(511);
    expect(pd.fake.requestsTo('GET /api/v1/personFields').map((r) => r.query.start)).toEqual(['0', '500']);
    expect(pipelines[0].stages).toHaveLength(508);
    expect(pipelines[0].stages.at(-1)).toEqual({ id: 604, name: 'Step 504' });
    expect(pd.fake.requestsTo('GET /api/v2/stages').map((r) => r.query.cursor !== undefined)).toEqual([false, true]);
  });

  it('reports a refused token as a 401 VendorError (core answers it as rejected credentials)', async () => {
    const failure = await describeOptions({ api_token: 'f'.repeat(40) }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(VendorError);
    expect(failure).toMatchObject({ outcome: { status: 401 } });
  });
});
