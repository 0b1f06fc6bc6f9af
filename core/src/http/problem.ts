import type { NextFunction, Request, Response } from 'express';
import { ApiError } from '../lib/errors';
import type { Logger } from '../lib/logger';

/** Send an ApiError as RFC 9457 problem+json. */
export function sendProblem(res: Response, err: ApiError): void {
  res.status(err.status).type('application/problem+json').send(JSON.stringify({ ...err.toProblem(), instance: res.req.originalUrl.split('?')[0] }));
}

/** Errors thrown by express's own body parsers, by their `type`. */
function fromParserError(err: unknown): ApiError | null {
  if (typeof err !== 'object' || err === null || !('type' in err)) return null;
  switch (err.type) {
    case 'entity.too.large':
      return new ApiError('payload_too_large', 'The request body is larger than the hub accepts');
    case 'entity.parse.failed':
      return new ApiError('validation_failed', 'The request body is not valid JSON', [{ path: '(body)', message: 'invalid JSON' }]);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError('unsupported_media_type', 'Unsupported body encoding');
    default:
      return null;
  }
}

/** The last middleware: every error becomes problem+json; unexpected ones are logged, never shown. */
export function errorHandler(log: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const known = err instanceof ApiError ? err : fromParserError(err);
    if (known) return sendProblem(res, known);
    log.error({ err, method: req.method, path: req.path }, 'unhandled error');
    sendProblem(res, new ApiError('internal', 'Something went wrong on our side; the request changed nothing it could not finish'));
  };
}

/** Unknown routes: a 404 problem, not express's HTML. */
export function notFoundHandler(req: Request, res: Response): void {
  sendProblem(res, new ApiError('not_found', `No route ${req.method} ${req.path}`));
}
