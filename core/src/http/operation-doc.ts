import type { z } from 'zod';
import type { RouteSpec } from './route';

/** A request header worth documenting (a signature, a key the caller may send this way). */
export interface HeaderDoc {
  name: string;
  description: string;
  required?: boolean;
  /** A plain string when absent. */
  schema?: z.ZodType;
}

/** One documented answer: a description and, when it has a JSON body, that body's schema. */
export interface AnswerDoc {
  description: string;
  schema?: z.ZodType;
}

/**
 * The OpenAPI description of a path served by its own express handler rather than by defineRoute:
 * the tracking snippet's routes (text/plain posts, the key in the query), the inbound qualification
 * webhook and the vendor hooks (raw bodies, because a signature covers the exact bytes). Those
 * handlers cannot go through mountRoute, but their paths belong in /openapi.json all the same, so
 * each module that mounts one exports its OperationDoc next to the mount function, built from the
 * zod schemas the handler parses with, and http/public/index.ts lists them for the document.
 */
export interface OperationDoc extends Pick<RouteSpec, 'method' | 'path' | 'summary' | 'description' | 'tags' | 'auth' | 'params' | 'query'> {
  headers?: HeaderDoc[];
  /** The body schema and every content type the handler reads it from; no schema when the body is the sender's own format. */
  body?: { contentTypes: string[]; schema?: z.ZodType; description?: string };
  /** Every status the handler answers with success, and errors worth naming; a problem+json default is added. */
  responses: Record<number, AnswerDoc>;
}
