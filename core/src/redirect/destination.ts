/**
 * Where the redirect's own parameters go in a campaign destination, worked out once per cached code
 * so each click only concatenates strings.
 *
 * `ref` and `rl_click` belong to us: when the destination already carries either (a shop that used
 * `ref` for its own affiliate tag, a link pasted from an earlier click), ours replace theirs at the
 * place the first of them stood. Every other parameter is kept byte for byte, in order — they are
 * not re-serialised, so `%20` stays `%20` and a valueless `flag` stays `flag` — and so is the fragment.
 */
export interface DestinationSplice {
  /** Everything before our parameters, ending in `?` or `&`. */
  before: string;
  /** Everything after them: the destination's later parameters (with their leading `&`) and its fragment. */
  after: string;
  /** Names of the parameters the destination keeps (decoded), so an incoming UTM never doubles one of them. */
  keeps: ReadonlySet<string>;
}

const OURS = new Set(['ref', 'rl_click']);
const NOTHING: ReadonlySet<string> = new Set();

/** The decoded name of one `name=value` pair, as URLSearchParams would read it. */
function paramName(pair: string): string {
  const eq = pair.indexOf('=');
  const raw = (eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' ');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** Split `destination` around the slot where `ref=…&rl_click=…` goes. */
export function spliceDestination(destination: string): DestinationSplice {
  const hash = destination.indexOf('#');
  const head = hash < 0 ? destination : destination.slice(0, hash);
  const fragment = hash < 0 ? '' : destination.slice(hash);
  const q = head.indexOf('?');
  // The common case, a destination without a query: no parsing at all.
  if (q < 0) return { before: `${head}?`, after: fragment, keeps: NOTHING };

  const path = head.slice(0, q + 1);
  const kept: string[] = [];
  const keeps = new Set<string>();
  let slot = -1;
  for (const pair of head.slice(q + 1).split('&')) {
    if (pair === '') continue;
    const name = paramName(pair);
    if (OURS.has(name)) {
      if (slot < 0) slot = kept.length;
      continue;
    }
    kept.push(pair);
    keeps.add(name);
  }
  if (slot < 0) slot = kept.length;
  const earlier = kept.slice(0, slot).join('&');
  const later = kept.slice(slot).join('&');
  return {
    before: earlier ? `${path}${earlier}&` : path,
    after: `${later ? `&${later}` : ''}${fragment}`,
    keeps,
  };
}
