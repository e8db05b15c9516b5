import { z } from '@hono/zod-openapi';

/** The error body every endpoint answers with, for the OpenAPI document. */
export const errorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string(), field: z.string().nullable() }) })
  .openapi('Error');

/** A JSON response entry for createRoute. */
export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { content: { 'application/json': { schema } }, description };
}

/** The 4xx answers most routes can give. */
export const errorResponses = {
  400: jsonResponse(errorSchema, 'The request is invalid; `field` names what is wrong'),
  401: jsonResponse(errorSchema, 'No valid API key or session'),
  403: jsonResponse(errorSchema, 'The role does not allow it, or the CSRF token is missing'),
  404: jsonResponse(errorSchema, 'Not found'),
  409: jsonResponse(errorSchema, 'Not allowed in the current state'),
  413: jsonResponse(errorSchema, 'The body is larger than the limit (1 MB for JSON)'),
  429: jsonResponse(errorSchema, 'Too many requests; Retry-After says in how many seconds to try again'),
} as const;

/** A route's security: a bearer API key, or the dashboard's session cookie (with X-CSRF-Token on writes). */
export const bearerSecurity: Record<string, string[]>[] = [{ bearer: [] }, { session: [] }];

/** `?cursor=&limit=` of a list endpoint: `{"data":[…],"next_cursor"}`, 100 a page unless asked. */
export const pageQuerySchema = z.object({
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
