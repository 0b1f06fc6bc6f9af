import net from 'node:net';

/** In CI the Postgres and Redis suites must run; this fails the run if they would be skipped. */
const required = process.env.REFERLOOP_REQUIRE_SERVICES === '1';

function reachable(url: string, defaultPort: number): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname, port: Number(u.port || defaultPort) });
    socket.setTimeout(3000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

(required ? describe : describe.skip)('CI services', () => {
  it('has DATABASE_URL pointing at a reachable Postgres', async () => {
    expect(process.env.DATABASE_URL).toMatch(/^postgres/);
    expect(await reachable(process.env.DATABASE_URL ?? '', 5432)).toBe(true);
  });
  it('has REDIS_URL pointing at a reachable Redis', async () => {
    expect(process.env.REDIS_URL).toMatch(/^redis/);
    expect(await reachable(process.env.REDIS_URL ?? '', 6379)).toBe(true);
  });
});

