import type { SDKConnectionSectionType, SDKModuleSectionType, SDKRPCSectionType, SDKWebhookSectionType } from '@makehq/sdk';
import type { ModuleType } from './manifest';

/**
 * Local code file kinds (the keys of `codeFiles` in makecomapp.json) and the API section each one is
 * stored in on Make, per component type; the same translation the apps editor makes.
 */
export const connectionSections: Record<string, SDKConnectionSectionType> = {
  communication: 'api',
  params: 'parameters',
  scopeList: 'scopes',
  defaultScope: 'scope',
  installSpec: 'installSpec',
  installDirectives: 'install',
};

export const webhookSections: Record<string, SDKWebhookSectionType> = {
  communication: 'api',
  params: 'parameters',
  attach: 'attach',
  detach: 'detach',
  requiredScope: 'scope',
};

export const moduleSections: Record<string, SDKModuleSectionType> = {
  communication: 'api',
  epoch: 'epoch',
  staticParams: 'parameters',
  mappableParams: 'expect',
  interface: 'interface',
  samples: 'samples',
  scope: 'scope',
};

export const rpcSections: Record<string, SDKRPCSectionType> = {
  communication: 'api',
  params: 'parameters',
};

/** Make's numeric module type ids. */
export const moduleTypeIds: Record<ModuleType, number> = {
  trigger: 1,
  action: 4,
  search: 9,
  instant_trigger: 10,
  responder: 11,
  universal: 12,
};
