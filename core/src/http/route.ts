import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Principal } from '../domain/workspaces';
import type { Hub } from '../hub';

export type AuthMode = 'secret' | 'publishable' | 'none';
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteContext<P, Q, B> {
  hub: Hub;
  /** The key's workspace (empty string on unauthenticated routes). */
  workspaceId: string;
  principal: Principal | null;
  params: P;
  query: Q;
  body: B;
  req: Request;
  res: Response;
}

/** A handler's answer when it is not a plain 200 with a JSON body. */
export class Reply {
  constructor(
    readonly status: number,
    readonly body?: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

export const reply = (status: number, body?: unknown, headers?: Record<string, string>) => new Reply(status, body, headers);

/**
 * One route: its validation schemas (which are also its OpenAPI description) and its handler.
 * Every API route is declared this way, so what is validated is exactly what is documented.
 */
export interface RouteSpec<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> {
  method: Method;
  /** Express path, e.g. `/v1/campaigns/:id`. */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  auth: AuthMode;
  params?: P;
  query?: Q;
  body?: B;
  /** Schema of the success body (documentation; the handler builds it from typed values). */
  response?: z.ZodType;
  /** Status of a plain (non-Reply) answer; 200 by default. */
  status?: number;
  /** Answers for other statuses worth documenting, e.g. `{ 201: 'created', 409: 'not referred' }`. */
  notes?: Record<number, string>;
  handler(ctx: RouteContext<z.infer<P>, z.infer<Q>, z.infer<B>>): Promise<unknown>;
}

/** Declare a route with its types inferred from its schemas. */
export function defineRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(spec: RouteSpec<P, Q, B>): RouteSpec {
  return spec as unknown as RouteSpec;
}
