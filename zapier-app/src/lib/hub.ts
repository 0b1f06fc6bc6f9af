import type { Bundle, ZObject } from 'zapier-platform-core';
import { z as zod } from 'zod';
import { toUserError } from './problem';

type Params = Record<string, string | number | undefined>;

/** One call to the Referloop API; `path` starts with `/v1/`. */
export interface HubCall {
  method?: 'GET' | 'POST' | 'DELETE';
  path: string;
  params?: Params;
  body?: Record<string, unknown>;
}

/**
 * The hub's base URL as the user typed it, normalised: users self-host, so it is part of the
 * connection. A trailing slash or a pasted `/v1` suffix is forgiven.
 */
export function hubBaseUrl(z: ZObject, bundle: Bundle): string {
  const raw = bundle.authData.base_url?.trim() ?? '';
  const base = raw.replace(/\/+$/, '').replace(/\/v1$/, '');
  if (!/^https?:\/\/[^/\s]+(\/[^\s]*)?$/.test(base)) {
    throw new z.errors.Error(
      `"${raw}" is not a Referloop URL. Enter the address of your hub, like https://referloop.example.com`,
      'InvalidBaseUrl',
      400,
    );
  }
  return base;
}

function cleanParams(params: Params | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value !== undefined && value !== '') out[key] = String(value);
  }
  return out;
}

/**
 * Call the hub and parse its answer with `schema`. Error statuses never get here: the app's
 * afterResponse middleware turns them into messages for the Zap user first.
 */
export async function callHub<T extends zod.ZodType>(z: ZObject, bundle: Bundle, schema: T, call: HubCall): Promise<zod.infer<T>> {
  const response = await sendToHub(z, bundle, call);
  return parseHubAnswer(z, schema, response.data, call);
}

/** Like callHub, but a 404 answers null (lookups by id where "not found" is a normal outcome). */
export async function findOnHub<T extends zod.ZodType>(z: ZObject, bundle: Bundle, schema: T, call: HubCall): Promise<zod.infer<T> | null> {
  const response = await sendToHub(z, bundle, call, true);
  if (response.status === 404) return null;
  if (response.status >= 400) throw toUserError(z, response);
  return parseHubAnswer(z, schema, response.data, call);
}

/** Send one request to the hub; with `skipThrowForStatus` the caller handles error statuses itself. */
export async function sendToHub(z: ZObject, bundle: Bundle, call: HubCall, skipThrowForStatus = false) {
  const url = `${hubBaseUrl(z, bundle)}${call.path}`;
  try {
    return await z.request({
      url,
      method: call.method ?? 'GET',
      params: cleanParams(call.params),
      ...(call.body ? { body: call.body } : {}),
      skipThrowForStatus,
    });
  } catch (err) {
    if (err instanceof Error && /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|certificate/i.test(err.message)) {
      throw new z.errors.Error(
        `Could not reach Referloop at ${hubBaseUrl(z, bundle)} (${err.message}). Check the Referloop URL of your connection and that the hub is running.`,
        'HubUnreachable',
        502,
      );
    }
    throw err;
  }
}

/** Parse an answer already in hand (when the status matters too). */
export function parseHubAnswer<T extends zod.ZodType>(z: ZObject, schema: T, data: unknown, call: HubCall): zod.infer<T> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'unexpected body';
  throw new z.errors.Error(
    `Referloop answered ${call.method ?? 'GET'} ${call.path} with something this Zapier app does not understand (${where}). Is the hub up to date?`,
    'UnexpectedResponse',
    502,
  );
}
