/**
 * bench/hubspot-sync: a contact sync of 50,000 HubSpot contacts (read 100 a page, links written
 * back 100 a call) through the connector on the official SDK, against the HubSpot fake enforcing
 * HubSpot's burst limit of 190 requests per 10 seconds, with the window scaled down to keep the run
 * short (BENCH_WINDOW_MS, 1,000 ms by default: 190 requests per second). Prints the calls made vs
 * the lower bound (one list and one update call per 100 contacts) and the time taken vs the time
 * the rate limit alone imposes. Target: ≤ 1.05× calls and ≤ 1.1× time.
 *
 *   npm run -w bench hubspot-sync            (BENCH_CONTACTS=50000 BENCH_WINDOW_MS=1000)
 */
import { startFakeHubSpot } from '../tests/fakes/hubspot';
import { syncThroughConnector } from './hubspot-sync-loop';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 50_000);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 1_000);
const LIMIT = 190;

async function main(): Promise<void> {
  const hs = await startFakeHubSpot();
  try {
    hs.store.seedContacts(CONTACTS, (i) => ({ email: `contact-${i}@example.com`, firstname: `C${i}` }));
    hs.limit(LIMIT, WINDOW_MS);
    const started = Date.now();
    const { contacts, retries } = await syncThroughConnector(hs.url, hs.token);
    const elapsed = Date.now() - started;
    const calls = hs.requests.length;
    const lowerBound = 2 * Math.ceil(CONTACTS / 100);
    // `lowerBound` calls at LIMIT per window: the last one cannot start before this many full windows.
    const rateBoundMs = Math.floor((lowerBound - 1) / LIMIT) * WINDOW_MS;
    const refused = calls - lowerBound;
    console.log(`hubspot-sync: ${contacts} contacts, limit ${LIMIT} requests / ${WINDOW_MS} ms`);
    console.log(`calls     ${calls} made vs ${lowerBound} lower bound → ${(calls / lowerBound).toFixed(3)}× (target ≤ 1.05×; ${refused} refused or repeated, ${retries} retries)`);
    console.log(`time      ${(elapsed / 1000).toFixed(2)} s vs ${(rateBoundMs / 1000).toFixed(2)} s rate-limit bound → ${(elapsed / rateBoundMs).toFixed(3)}× (target ≤ 1.1×)`);
  } finally {
    await hs.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
