import type { AnyConnector, Connector, BaseSettings, Vendor } from './contract';
import { vendors } from './contract';

/**
 * Where core finds a connector by vendor name. Each vendor's folder adds one loader line here when
 * it lands; loaders import lazily so a hub that never connects Salesforce never loads jsforce.
 */
const loaders: Record<Vendor, (() => Promise<AnyConnector>) | null> = {
  pipedrive: async () => {
    const m: typeof import('./pipedrive') = require('./pipedrive');
    return m.pipedriveConnector;
  },
  hubspot: async () => (require('./hubspot') as typeof import('./hubspot')).hubspotConnector,
  salesforce: async () => {
    const m: typeof import('./salesforce') = require('./salesforce');
    return m.salesforceConnector;
  },
  stripe: async () => {
    const m: typeof import('./stripe') = require('./stripe');
    return m.stripeConnector;
  },
};

const testConnectors = new Map<Vendor, AnyConnector>();

/** The connector for a vendor, or null when this build does not include it yet. */
export async function getConnector(vendor: Vendor): Promise<AnyConnector | null> {
  const override = testConnectors.get(vendor);
  if (override) return override;
  const load = loaders[vendor];
  return load ? load() : null;
}

/** Vendors with a connector available in this process. */
export function availableVendors(): Vendor[] {
  return vendors.filter((v) => testConnectors.has(v) || loaders[v] !== null);
}

/**
 * Test-only hook: serve `connector` under its vendor name in this process until the returned
 * function is called. The framework's tests plug a tiny connector in this way, and then exercise
 * the real core code around it (routes, storage, jobs) unchanged.
 */
export function registerConnectorForTests<C, S extends BaseSettings>(connector: Connector<C, S>): () => void {
  const previous = testConnectors.get(connector.vendor);
  testConnectors.set(connector.vendor, connector);
  return () => {
    if (previous) testConnectors.set(connector.vendor, previous);
    else testConnectors.delete(connector.vendor);
  };
}
