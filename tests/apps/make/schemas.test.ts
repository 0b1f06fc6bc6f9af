import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeAppDir } from './runtime/app';
import { listAppFiles } from './support/app-files';
import { loadVendorSchemas, schemaFor, validatorFor } from './support/vendor-schemas';

const ajv = loadVendorSchemas();
const jsonFiles = listAppFiles(makeAppDir).filter((f) => f.endsWith('.json'));
const read = (file: string): unknown => JSON.parse(readFileSync(join(makeAppDir, file), 'utf8'));

describe("the Make app's files against Make's published JSON schemas", () => {
  it('has a vendor schema for every JSON file of the app', () => {
    expect(jsonFiles.filter((f) => schemaFor(f) === null)).toEqual([]);
    expect(jsonFiles).toContain('makecomapp.json');
    expect(jsonFiles.length).toBeGreaterThan(40);
  });

  it.each(jsonFiles)('%s validates', (file) => {
    const validate = validatorFor(ajv, schemaFor(file)!);
    const valid = validate(read(file));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  // The validators must be able to say no, or the checks above prove nothing.
  it('rejects a POST communication without a body, an unknown directive and a bad makecomapp.json', () => {
    const api = validatorFor(ajv, 'api.json');
    expect(api({ url: '/v1/participants', method: 'POST' })).toBe(false);
    expect(api({ url: '/v1/participants', method: 'GET', respnse: {} })).toBe(false);
    const params = validatorFor(ajv, 'parameters.json');
    expect(params([{ name: 'x', type: 'textarea' }])).toBe(false);
    const manifest = validatorFor(ajv, 'makecomapp.schema.json');
    const broken = { ...(read('makecomapp.json') as object), origins: [{ appId: 'Referloop!', appVersion: 1, baseUrl: 'http://eu1.make.com', apikeyFile: 'k' }] };
    expect(manifest(broken)).toBe(false);
  });
});
