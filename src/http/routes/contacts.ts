import { createRoute, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { contactTarget } from '../../app/audit-targets.ts';
import { recordOptIn, recordOptOut } from '../../app/consent.ts';
import { getContact, listContactsPage, patchContact } from '../../app/contacts.ts';
import { importContacts } from '../../app/import-contacts.ts';
import { parseColumnMapping } from '../../domain/column-mapping.ts';
import { CONSENT_PURPOSES } from '../../domain/consent.ts';
import { AppError } from '../../domain/errors.ts';
import type { ChorusApp, HttpDeps } from '../app.ts';
import { auditRequest } from '../audit-request.ts';
import { errorResponse } from '../on-error.ts';
import { bearerSecurity, errorResponses, jsonResponse } from '../openapi.ts';
import { clientIp } from '../request-info.ts';
import { registerContactHistoryRoutes } from './contact-history.ts';
import { contactSchema, phoneParams } from './contact-schemas.ts';
import { registerContactRightsRoutes } from './contacts-rights.ts';
import { readCsvUpload } from './contacts-upload.ts';

/** Imports stream, so the limit only guards the disk and the time one request may take. */
export const IMPORT_BODY_LIMIT_BYTES = 1024 ** 3;

const statusSchema = contactSchema.pick({ phone: true, consent: true, suppressed: true }).openapi('ConsentStatus');
const reportSchema = z
  .object({
    imported: z.number(),
    updated: z.number(),
    invalid: z.number(),
    duplicates: z.number(),
    errors: z.array(z.object({ row: z.number(), reason: z.string() })),
  })
  .openapi('ImportReport');
const evidenceSchema = z.object({
  source: z.string().min(1).max(200).optional(),
  evidence: z.string().max(2000).optional(),
  form_url: z.url().optional(),
  wording: z.string().max(2000).optional(),
  purpose: z.enum(CONSENT_PURPOSES).optional(),
});
const patchSchema = z.strictObject({
  first_name: z.string().max(200).nullable().optional(),
  last_name: z.string().max(200).nullable().optional(),
  language: z.string().max(35).nullable().optional(),
  tags: z.array(z.string().min(1).max(100)).max(100).optional(),
  attributes: z.record(z.string(), z.string()).optional(),
});
const tagQuery = z.union([z.string(), z.array(z.string())]).optional();
const importQuery = z.object({
  tag: tagQuery,
  consent_source: z.string().max(200).optional(),
  consent_purpose: z.enum(CONSENT_PURPOSES).optional(),
  default_country: z.string().length(2).optional(),
  file_name: z.string().max(255).optional(),
  mapping: z.string().max(20_000).optional().openapi({
    description:
      'JSON object from file column to its meaning: phone, first_name, last_name, language, tags, opted_in_at, consent_source, attr.NAME or skip. Columns left out keep the meaning of their header.',
    example: '{"Mobile":"phone","Vorname":"first_name","Filiale":"attr.store"}',
  }),
});
const listQuery = z.object({
  tag: z.string().optional(),
  q: z.string().max(100).optional(),
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
});

/** /api/v1/contacts: import, list, get, patch, opt-out and opt-in; export and erasure (contacts-rights.ts). */
export function registerContactRoutes(app: ChorusApp, deps: HttpDeps): void {
  const tags = ['contacts'];
  registerContactRightsRoutes(app, deps);
  registerContactHistoryRoutes(app, deps);
  const db = deps.database.db;
  app.use('/api/v1/contacts/import', importBodyLimit);
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/contacts/import',
      tags,
      security: bearerSecurity,
      description: 'Streams a contacts CSV (header row required, `phone` column required) and imports it in batches.',
      request: {
        query: importQuery,
        body: {
          content: {
            'text/csv': { schema: { type: 'string' } },
            'multipart/form-data': {
              schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } },
            },
          },
        },
      },
      responses: { 200: jsonResponse(reportSchema, 'What the import did; `row` is the file line'), ...errorResponses },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const columnMapping = query.mapping === undefined ? undefined : parseColumnMapping(query.mapping);
      const upload = await readCsvUpload(c.req.raw);
      const fileName = query.file_name ?? upload.fileName ?? 'upload.csv';
      const report = await importContacts(
        deps.database,
        upload.stream,
        {
          fileName,
          tags: query.tag === undefined ? [] : [query.tag].flat(),
          consentSource: query.consent_source,
          consentPurpose: query.consent_purpose,
          defaultCountry: query.default_country,
          columnMapping,
        },
        deps.clock,
      );
      const { imported, updated, invalid, duplicates } = report;
      await auditRequest(c, deps, {
        action: 'contacts.import',
        details: {
          file_name: fileName,
          imported,
          updated,
          invalid,
          duplicates,
          ...(columnMapping && { mapping: columnMapping }),
        },
      });
      return c.json(report, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/contacts',
      tags,
      security: bearerSecurity,
      request: { query: listQuery },
      responses: {
        200: jsonResponse(z.object({ data: z.array(contactSchema), next_cursor: z.string().nullable() }), 'Id order'),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await listContactsPage(db, c.req.valid('query')), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/contacts/{phone}',
      tags,
      security: bearerSecurity,
      request: { params: phoneParams },
      responses: { 200: jsonResponse(contactSchema, 'The contact'), ...errorResponses },
    }),
    async (c) => c.json(await getContact(db, c.req.valid('param').phone), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/contacts/{phone}',
      tags,
      security: bearerSecurity,
      request: {
        params: phoneParams,
        body: { content: { 'application/json': { schema: patchSchema } }, required: true },
      },
      responses: {
        200: jsonResponse(contactSchema, 'The changed contact; tags replace the stored ones'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const changes = {
        firstName: body.first_name,
        lastName: body.last_name,
        language: body.language,
        tags: body.tags,
        attributes: body.attributes,
      };
      const { phone } = c.req.valid('param');
      const contact = await patchContact(db, phone, changes, deps.clock);
      await auditRequest(c, deps, {
        action: 'contact.update',
        target: await contactTarget(db, phone),
        details: { fields: Object.keys(body) },
      });
      return c.json(contact, 200);
    },
  );

  for (const action of ['opt-out', 'opt-in'] as const) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/api/v1/contacts/{phone}/${action}`,
        tags,
        security: bearerSecurity,
        request: {
          params: phoneParams,
          body: { content: { 'application/json': { schema: evidenceSchema } }, required: false },
        },
        responses: { 200: jsonResponse(statusSchema, 'Recorded in the consent ledger'), ...errorResponses },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const evidence = {
          source: body.source ?? 'api',
          purpose: body.purpose,
          evidence: body.evidence,
          formUrl: body.form_url,
          wording: body.wording,
          ip: clientIp(c, deps.trustProxy) ?? undefined,
          apiKeyId: c.get('apiKeyId'),
        };
        const record = action === 'opt-out' ? recordOptOut : recordOptIn;
        const { phone } = c.req.valid('param');
        const status = await record(db, phone, evidence, deps.clock);
        await auditRequest(c, deps, {
          action: action === 'opt-out' ? 'contact.opt_out' : 'contact.opt_in',
          target: await contactTarget(db, phone),
          details: { source: evidence.source, purpose: evidence.purpose ?? 'all' },
        });
        return c.json(status, 200);
      },
    );
  }
}

const importBodyLimit = bodyLimit({
  maxSize: IMPORT_BODY_LIMIT_BYTES,
  onError: (c) =>
    errorResponse(c, new AppError('payload_too_large', `imports are limited to ${IMPORT_BODY_LIMIT_BYTES} bytes`)),
});
