/** The vendor-fake toolkit: local vendor servers for connector and framework tests. */
export * from './fake-vendor';
export * from './signing';
export * from './rate-limit-headers';
