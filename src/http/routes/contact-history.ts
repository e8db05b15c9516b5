import { createRoute, z } from '@hono/zod-openapi';
import { findContact } from '../../app/contacts.ts';
import { readConsentLedger, readPersonMessages } from '../../app/export-person.ts';
import type { ChorusApp, HttpDeps } from '../app.ts';
import { bearerSecurity, errorResponses, jsonResponse } from '../openapi.ts';
import { ledgerEntrySchema, phoneParams } from './contact-schemas.ts';

const messagesSchema = z
  .object({
    data: z.array(z.record(z.string(), z.unknown())),
    replies: z.array(z.record(z.string(), z.unknown())),
    next_cursor: z.null(),
  })
  .openapi('ContactMessages');

/** /api/v1/contacts/{phone}/consent and /messages: one contact's history, for its page in the dashboard. */
export function registerContactHistoryRoutes(app: ChorusApp, deps: HttpDeps): void {
  const tags = ['contacts'];
  const db = deps.database.db;
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/contacts/{phone}/consent',
      tags,
      security: bearerSecurity,
      request: { params: phoneParams },
      responses: {
        200: jsonResponse(z.object({ data: z.array(ledgerEntrySchema) }), 'The consent ledger, oldest first'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const contact = await findContact(db, c.req.valid('param').phone);
      return c.json({ data: await readConsentLedger(db, contact.id) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/contacts/{phone}/messages',
      tags,
      security: bearerSecurity,
      description:
        'The messages sent to this contact (campaign, template, status, times, error) and the messages they sent, oldest first.',
      request: { params: phoneParams },
      responses: { 200: jsonResponse(messagesSchema, 'Sent and received messages'), ...errorResponses },
    }),
    async (c) => {
      const contact = await findContact(db, c.req.valid('param').phone);
      const { messages, replies } = await readPersonMessages(db, contact.phone, contact.id);
      return c.json({ data: messages, replies, next_cursor: null }, 200);
    },
  );
}
