import type { HttpResponse, ZObject } from 'zapier-platform-core';
import { z as zod } from 'zod';

/** The hub answers every error as RFC 9457 problem+json; `detail` names the field or the state at fault. */
const problemSchema = zod.object({
  detail: zod.string(),
  code: zod.string().optional(),
  errors: zod.array(zod.object({ path: zod.string(), message: zod.string() })).optional(),
});
type Problem = zod.infer<typeof problemSchema>;

function readProblem(content: string): Problem | null {
  try {
    const parsed = problemSchema.safeParse(JSON.parse(content));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The hub's detail, plus any failing field it does not already name. */
function describe(problem: Problem): string {
  const extra = (problem.errors ?? []).filter((e) => !problem.detail.includes(e.path)).map((e) => `${e.path}: ${e.message}`);
  return extra.length ? `${problem.detail} (${extra.join('; ')})` : problem.detail;
}

/** The error a Zap user sees for a hub error response: what went wrong and what to do about it. */
export function toUserError(z: ZObject, response: HttpResponse): Error {
  const problem = readProblem(response.content);
  if (response.status === 401) {
    return new z.errors.Error(
      `Referloop did not accept the API key${problem ? ` (${problem.detail})` : ''}. Check the secret key (it starts with rl_sk_) in your Referloop connection, or create a new one in Referloop and reconnect.`,
      'AuthenticationError',
      401,
    );
  }
  if (response.status === 403) {
    const detail = problem ? problem.detail : 'Referloop refused this request for your API key';
    // The hub's detail usually says which key to use already.
    const hint = detail.includes('rl_sk_') ? '' : ' Reconnect with a secret key (rl_sk_…) of the workspace.';
    return new z.errors.Error(`${detail}.${hint}`.replace('..', '.'), 'Forbidden', 403);
  }
  if (problem) return new z.errors.Error(describe(problem), problem.code ?? 'HubError', response.status);
  // Not problem+json: something other than the hub answered (a proxy, or a wrong URL).
  return new z.errors.Error(
    `Referloop answered HTTP ${response.status} for ${response.request.method ?? 'GET'} ${response.request.url ?? ''}. Check the Referloop URL of your connection and that the hub is running.`,
    'HubError',
    response.status,
  );
}
