import type { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { ApiError } from '../lib/errors';

/** The columns an import reads: our name → the header spellings accepted for it. */
export type ColumnAliases<K extends string> = Record<K, readonly string[]>;

/** One data row: the line it ends on (the header is line 1), its values by our column names. */
export interface CsvRow<K extends string> {
  line: number;
  values: Partial<Record<K, string>>;
  /** Set when the row has more fields than the header (usually an unquoted comma): not applied. */
  problem?: string;
}

// One record may not exceed this: an unclosed quote would otherwise swallow the rest of a large
// file into one field held in memory.
const MAX_RECORD_BYTES = 64 * 1024;

/** `First Name` / `first-name` / `FIRST_NAME` → `first_name`. */
export function normalizeHeader(h: string): string {
  return h
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/**
 * Stream the rows of a CSV file with a header line. Memory stays bounded whatever the file size:
 * rows are yielded as they are parsed, and the consumer's pace pulls the source (backpressure).
 * Extra columns of ours are matched by alias; unknown columns are ignored. A header without any
 * of `required` is refused before a single row is read. A file that cannot be parsed past some line
 * (an unclosed quote) throws there, naming the line.
 */
export async function* readCsvRows<K extends string>(
  source: Readable,
  aliases: ColumnAliases<K>,
  required: { anyOf: K[] },
): AsyncGenerator<CsvRow<K>> {
  const parser = parse({
    bom: true,
    info: true,
    skip_empty_lines: true,
    relax_column_count: true,
    relax_quotes: true,
    max_record_size: MAX_RECORD_BYTES,
  });
  source.on('error', (err) => parser.destroy(err));
  source.pipe(parser);

  let positions: Array<[K, number]> | null = null;
  let width = 0;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = item;
      if (!positions) {
        const headers = record.map(normalizeHeader);
        positions = mapColumns(headers, aliases);
        width = headers.length;
        if (!required.anyOf.some((k) => positions?.some(([name]) => name === k))) {
          const wanted = required.anyOf.join(' or ');
          throw new ApiError('validation_failed', `The CSV header (line 1) needs a column ${wanted}; it has: ${headers.join(', ') || '(nothing)'}`, [
            { path: 'file', message: `the header needs a column ${wanted}` },
          ]);
        }
        continue;
      }
      const values: Partial<Record<K, string>> = {};
      for (const [name, index] of positions) {
        const v = record[index]?.trim();
        if (v) values[name] = v;
      }
      const problem = record.length > width ? `has ${record.length} fields but the header has ${width} (a comma inside an unquoted value?)` : undefined;
      yield { line: info.lines, values, problem };
    }
  } catch (err) {
    if (err instanceof CsvError) {
      const line = 'lines' in err && typeof err.lines === 'number' ? err.lines : null;
      throw new ApiError('validation_failed', `The CSV cannot be read past line ${line ?? '?'}: ${err.message}`, [{ path: 'file', message: err.message }], {
        line,
      });
    }
    throw err;
  } finally {
    source.unpipe(parser);
    if (!parser.destroyed) parser.destroy();
  }
  if (!positions) throw new ApiError('validation_failed', 'The CSV is empty: it needs a header line', [{ path: 'file', message: 'empty file' }]);
}

function mapColumns<K extends string>(headers: string[], aliases: ColumnAliases<K>): Array<[K, number]> {
  const out: Array<[K, number]> = [];
  for (const name of Object.keys(aliases) as K[]) {
    const index = headers.findIndex((h) => h === name || aliases[name].includes(h));
    if (index >= 0) out.push([name, index]);
  }
  return out;
}

/** Group a row stream into batches (the unit of one lookup and one transaction). */
export async function* inBatches<T>(rows: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const row of rows) {
    batch.push(row);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
