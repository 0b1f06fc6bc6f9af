import type { Config } from './config';
import type { Db } from './db';
import type { Links } from './domain/links';
import type { Logger } from './lib/logger';
import type { SecretBox } from './lib/secret-box';

/** What domain code needs from the running hub: storage, settings, links and the log. */
export interface HubContext {
  config: Config;
  db: Db;
  log: Logger;
  links: Links;
  /** Per-install salt: IP addresses are only ever stored as salted hashes. */
  ipSalt: string;
  /** Injectable clock (tests move it); everything time-dependent asks it. */
  now(): Date;
  /** Encryption at rest for integration credentials (key derived from REFERLOOP_SECRET). */
  secrets: SecretBox;
  /** A click still in the write buffer of this process (clicks are written in batches). */
  bufferedClick?(clickId: string, workspaceId: string): { participant_id: string; campaign_id: string; channel: string | null; created_at: Date } | undefined;
}
