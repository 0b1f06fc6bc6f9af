/** @referloop/connectors: the connector contract, the shared retry decision and the registry. */
export * from './contract';
export * from './retry';
export { getConnector, availableVendors, registerConnectorForTests } from './registry';
