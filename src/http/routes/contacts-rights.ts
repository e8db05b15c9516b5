import { createRoute, z } from '@hono/zod-openapi';
import { contactTarget, erasureTarget } from '../../app/audit-targets.ts';
import { erasePerson } from '../../app/erase-person.ts';
import { exportPerson } from '../../app/export-person.ts';
import type { ChorusApp, HttpDeps } from '../app.ts';
import { auditRequest, auditSourceOf } from '../audit-request.ts';
import { bearerSecurity, errorResponses, jsonResponse } from '../openapi.ts';
import { contactSchema, ledgerEntrySchema, phoneParams } from './contact-schemas.ts';

const count = z.number().int();
const erasureSchema = z
  .object({
    phone: z.string(),
    erased: z.literal(true),
    erasure: z.object({
      id: z.number(),
      erased_at: z.string(),
      requested_by: z.string(),
      is_repeat: z.boolean().openapi({ description: 'The number was erased before; the first record stands' }),
    }),
    removed: z.object({
      contact: z.boolean(),
      tags: count,
      consent_entries: count,
      suppression_entry: z.boolean(),
      pending_messages_skipped: count,
      messages_scrubbed: count,
      status_events_scrubbed: count,
      replies_scrubbed: count,
      recipient_windows_scrubbed: count,
      waiting_status_events: count,
      webhook_inbox_events: count,
      unrouted_webhook_events: count,
    }),
  })
  .openapi('Erasure');

const iso = z.string().nullable();
const exportSchema = z
  .object({
    phone: z.string(),
    exported_at: z.string(),
    contact: contactSchema.nullable(),
    consent: z.array(ledgerEntrySchema),
    suppression: z.object({ reason: z.string(), source: z.string().nullable(), since: iso }).nullable(),
    erasure: z.object({ erased_at: z.string(), requested_by: z.string() }).nullable(),
    messages: z.array(z.record(z.string(), z.unknown())),
    replies: z.array(z.record(z.string(), z.unknown())),
  })
  .openapi('PersonExport');

/** /api/v1/contacts/{phone}/export and DELETE /api/v1/contacts/{phone}: a person's data rights (docs/data-rights.md). */
export function registerContactRightsRoutes(app: ChorusApp, deps: HttpDeps): void {
  const tags = ['contacts'];
  const db = deps.database.db;
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/contacts/{phone}/export',
      tags,
      security: bearerSecurity,
      description:
        'Everything held about one number: contact, consent ledger, suppression, messages (status, times, template, campaign, body) and replies. An unknown number answers empty sections.',
      request: { params: phoneParams },
      responses: { 200: jsonResponse(exportSchema, 'The person’s data'), ...errorResponses },
    }),
    async (c) => {
      const { phone } = c.req.valid('param');
      const target = await contactTarget(db, phone);
      const data = await exportPerson(db, phone, deps.clock);
      await auditRequest(c, deps, { action: 'contact.export', ...(target ? { target } : {}) });
      return c.json(data, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/contacts/{phone}',
      tags,
      security: bearerSecurity,
      description:
        'Erasure: deletes the contact, tags and consent ledger, scrubs the number, bodies and webhook payloads from messages and replies (their statuses and counts stay), and keeps the number only as a salted hash so it is never messaged or imported again. Repeatable.',
      request: { params: phoneParams },
      responses: { 200: jsonResponse(erasureSchema, 'Erased'), ...errorResponses },
    }),
    async (c) => {
      const { phone } = c.req.valid('param');
      const requestedBy = auditSourceOf(c, deps).actor.label;
      const result = await erasePerson(db, phone, { requestedBy }, deps.clock);
      // The erasure record names the person nowhere; neither may the log.
      await auditRequest(c, deps, { action: 'contact.erase', target: erasureTarget(result), details: result.removed });
      return c.json({ phone, erased: true as const, ...result }, 200);
    },
  );
}
