import { createRoute, z } from '@hono/zod-openapi';
import { consentLedger } from '../../app/consent-ledger.ts';
import type { ChorusApp, HttpDeps } from '../app.ts';
import { bearerSecurity, errorResponses, jsonResponse } from '../openapi.ts';
import { phoneParams } from './contact-schemas.ts';

const ledgerEntrySchema = z
  .object({
    action: z.string().openapi({ example: 'grant' }),
    purpose: z.string().openapi({ example: 'marketing' }),
    source: z.string().openapi({ example: 'form:spring-news' }),
    channel: z.string(),
    at: z.string(),
    recorded_at: z.string(),
    proof: z.record(z.string(), z.unknown()).openapi({
      description: 'What was shown and where: form, wording, ip, user agent, times, an import row, an API key…',
    }),
  })
  .openapi('ConsentEntry');

/** GET /api/v1/contacts/{phone}/consent: one contact's consent ledger. */
export function registerContactConsentRoute(app: ChorusApp, deps: HttpDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/contacts/{phone}/consent',
      tags: ['contacts'],
      security: bearerSecurity,
      description: 'Every grant and revocation of this contact, oldest first, with its proof.',
      request: { params: phoneParams },
      responses: {
        200: jsonResponse(z.object({ data: z.array(ledgerEntrySchema) }), 'The ledger'),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await consentLedger(deps.database.db, c.req.valid('param').phone), 200),
  );
}
