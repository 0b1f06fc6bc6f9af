/** How many invalid rows a summary lists; the count goes on past it (a 1,000,000-row file stays small). */
export const INVALID_ROWS_LISTED = 1000;

/** The invalid rows of an import: counted all, listed up to a cap, in file order. */
export class InvalidRows {
  readonly list: Array<{ line: number; reason: string }> = [];
  count = 0;

  add(line: number, reason: string): void {
    this.count++;
    if (this.list.length < INVALID_ROWS_LISTED) this.list.push({ line, reason });
  }

  /** The listed rows by line (within a batch, rows refused at the lookup come after the others). */
  sorted(): Array<{ line: number; reason: string }> {
    return [...this.list].sort((a, b) => a.line - b.line);
  }

  get truncated(): boolean {
    return this.count > this.list.length;
  }
}

/** Rows per batch: one lookup query and one transaction each. */
export const IMPORT_BATCH_SIZE = 1000;

/** Called after every batch with the data rows read so far (the CLI's progress bar). */
export type ImportProgress = (rowsRead: number) => void;
