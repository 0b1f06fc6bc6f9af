import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';

const repoRoot = join(__dirname, '..', '..', '..', '..');

/** Make's published JSON schemas, read in place: `../shared/vendor/make-app-schemas` from the repository root. */
export const vendorSchemaDir = join(repoRoot, '..', 'shared', 'vendor', 'make-app-schemas');

/** One ajv instance holding every schema under its file name, since they refer to each other that way. */
export function loadVendorSchemas(): Ajv {
  const ajv = new Ajv({ strict: false, unicodeRegExp: false, allErrors: true });
  // makecomapp.schema.json uses format "uri" for origin base URLs; ajv needs to be told what that means.
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  for (const file of readdirSync(vendorSchemaDir).filter((f) => f.endsWith('.json'))) {
    ajv.addSchema(JSON.parse(readFileSync(join(vendorSchemaDir, file), 'utf8')), file);
  }
  return ajv;
}

/**
 * Which vendor schema checks a file of the app, by its name (shared/vendor/README.md). Static parameters
 * (`*.static-params.iml.json`) are a parameters array like the others, so parameters.json checks them too.
 */
export function schemaFor(relPath: string): string | null {
  const name = relPath.split('/').pop() ?? relPath;
  if (name === 'makecomapp.json') return 'makecomapp.schema.json';
  if (name === 'base.iml.json') return 'base.json';
  if (name === 'common.json') return 'common.json';
  if (name === 'groups.json') return 'groups.json';
  if (/\.oauth-communication\.iml\.json$/.test(name)) return 'api-oauth.json';
  if (/\.(communication|attach|detach|publish)\.iml\.json$/.test(name)) return relPath.startsWith('endpoints/') ? 'endpoint-api.json' : 'api.json';
  if (/\.(params|static-params|mappable-params|interface)\.iml\.json$/.test(name)) return 'parameters.json';
  if (/\.samples\.iml\.json$/.test(name)) return 'samples.json';
  if (/\.epoch\.iml\.json$/.test(name)) return 'epoch.json';
  if (/\.scope-list\.iml\.json$/.test(name)) return 'scopes.json';
  if (/\.(default-scope|required-scope)\.iml\.json$/.test(name)) return 'scope.json';
  return null;
}

/** The compiled validator of one vendor schema. */
export function validatorFor(ajv: Ajv, schema: string): ValidateFunction {
  const v = ajv.getSchema(schema);
  if (!v) throw new Error(`vendor schema ${schema} not found in ${vendorSchemaDir}`);
  return v;
}
