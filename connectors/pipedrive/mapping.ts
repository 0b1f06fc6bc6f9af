import type { PushInput } from '../contract';
import type { FieldMap, Placeholder } from './settings';

/** What each template placeholder stands for, for one participant. */
export function templateValues(input: PushInput): Record<Placeholder, string> {
  const referrer = input.referrer;
  return {
    name: input.name ?? input.email,
    first_name: input.first_name ?? '',
    last_name: input.last_name ?? '',
    email: input.email,
    code: input.code,
    referral_link: input.referral_link,
    referrer: referrer ? (referrer.name ?? referrer.email) : '',
    referrer_name: referrer?.name ?? '',
    referrer_email: referrer?.email ?? '',
    referrer_code: referrer?.code ?? '',
    campaign: input.campaign_name,
  };
}

/** Fill a template; unknown placeholders cannot reach here (the settings schema refuses them). */
export function render(template: string, values: Record<Placeholder, string>): string {
  const lookup: Record<string, string> = values;
  return template.replace(/\{([a-z_]+)\}/g, (whole, name: string) => lookup[name] ?? whole).replace(/\s+/g, ' ').trim();
}

/**
 * A field map rendered for one record: the built-in field (person `name`, deal `title`) apart,
 * custom fields keyed by their hash. Empty renders are left out rather than clearing a field.
 */
export function renderFields(map: FieldMap, builtIn: 'name' | 'title', values: Record<Placeholder, string>, fallback: string): { builtIn: string; custom: Record<string, string> } {
  const custom: Record<string, string> = {};
  for (const [key, template] of Object.entries(map)) {
    if (key === builtIn) continue;
    const value = render(template, values);
    if (value !== '') custom[key] = value;
  }
  const main = render(map[builtIn] ?? '', values);
  return { builtIn: (main || fallback).slice(0, 255), custom };
}
