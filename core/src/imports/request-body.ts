import type { Request } from 'express';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { ApiError } from '../lib/errors';

/** The CSV file of an upload, and the form fields sent before it. */
export interface CsvUpload {
  file: Readable;
  fields: Record<string, string>;
}

const RAW_TYPES = new Set(['text/csv', 'application/csv', 'text/plain', 'application/octet-stream', 'application/vnd.ms-excel']);

/**
 * The CSV of an import request: the body itself (`Content-Type: text/csv`), or the first file part
 * of a multipart form. Neither is buffered: the caller reads it as a stream.
 */
export function csvUpload(req: Request): Promise<CsvUpload> {
  const type = (req.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (RAW_TYPES.has(type)) return Promise.resolve({ file: req, fields: {} });
  if (type !== 'multipart/form-data') {
    return Promise.reject(
      new ApiError('unsupported_media_type', `Send the CSV as the body with Content-Type: text/csv, or as a multipart/form-data file (got ${type || 'no content type'})`),
    );
  }
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let settled = false;
    const bb = busboy({ headers: req.headers, limits: { files: 1, fields: 20, fieldSize: 1024 } });
    bb.on('field', (name, value) => {
      fields[name] = value;
    });
    bb.on('file', (_name, file) => {
      settled = true;
      resolve({ file, fields });
    });
    bb.on('error', (err) => {
      if (!settled) reject(new ApiError('validation_failed', `The multipart body cannot be read: ${err instanceof Error ? err.message : String(err)}`));
    });
    bb.on('close', () => {
      if (!settled) reject(new ApiError('validation_failed', 'The multipart body has no file part', [{ path: 'file', message: 'missing' }]));
    });
    req.pipe(bb);
  });
}
