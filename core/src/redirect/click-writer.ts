import type { Db } from '../db';
import { CLICK_INSERT_SQL, clickColumns, type ClickRecord } from './click-insert';

/** Where the click buffer sends its batches. */
export interface ClickWriter {
  /** Store a batch; resolves once it is committed, rejects if it may not have been (it is sent again). */
  write(batch: readonly ClickRecord[]): Promise<void>;
  /** Release what the writer holds (after the last write has settled). */
  close(): Promise<void>;
}

/** Writes batches through the hub's own database handle, on the calling thread. */
export class InlineClickWriter implements ClickWriter {
  constructor(private readonly db: Db) {}

  async write(batch: readonly ClickRecord[]): Promise<void> {
    await this.db.query(CLICK_INSERT_SQL, clickColumns(batch));
  }

  async close(): Promise<void> {
    // The database handle belongs to the hub, which closes it.
  }
}
