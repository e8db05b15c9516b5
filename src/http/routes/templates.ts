import { createRoute, z } from '@hono/zod-openapi';
import { DEFAULT_SENDER_ID, requireSender } from '../../app/senders.ts';
import type { SyncReport } from '../../app/sync-templates.ts';
import { templateJson } from '../../app/template-view.ts';
import { MetaApiError } from '../../cloud-api/graph-call.ts';
import type { WireCreateTemplateRequest } from '../../cloud-api/wire-templates.ts';
import { AppError } from '../../domain/errors.ts';
import { listTemplates } from '../../store/templates-repo.ts';
import type { ChorusApp, HttpDeps } from '../app.ts';
import { auditRequest } from '../audit-request.ts';
import { bearerSecurity, errorResponses, jsonResponse } from '../openapi.ts';

const templateSchema = z
  .looseObject({ name: z.string(), language: z.string(), status: z.string(), category: z.string() })
  .openapi('Template');
const senderQuery = z.object({
  sender: z.string().min(1).max(64).optional().openapi({ description: 'One sender; every sender when absent' }),
});

// §5 of reference/cloud-api.md: what Meta's review intake accepts, checked here first so the person
// reads which field is wrong before anything leaves Chorus.
const componentSchema = z.looseObject({
  type: z.enum(['HEADER', 'BODY', 'FOOTER', 'BUTTONS']),
  format: z.enum(['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION']).optional(),
  text: z.string().max(1024).optional(),
  buttons: z
    .array(z.looseObject({ type: z.string(), text: z.string().max(25).optional() }))
    .max(10)
    .optional(),
});
const createTemplateSchema = z
  .object({
    sender: z.string().min(1).max(64).default(DEFAULT_SENDER_ID),
    name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'lower-case letters, digits and underscores only, like spring_sale'),
    language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'a language code like en_US or de'),
    category: z.enum(['MARKETING', 'UTILITY', 'AUTHENTICATION']),
    parameter_format: z.enum(['NAMED', 'POSITIONAL']).optional(),
    components: z
      .array(componentSchema)
      .min(1)
      .refine(
        (list) => list.some((c) => c.type === 'BODY' && (c.text ?? '').trim() !== ''),
        'a BODY with text is required',
      ),
  })
  .openapi('TemplateSubmission');

/** What the template routes need: the sync of one sender's WABA, or every sender's, and submitting a new template. */
export interface TemplateRouteDeps {
  syncTemplates: (
    senderId: string | undefined,
    signal: AbortSignal,
  ) => Promise<{ reports: SyncReport[]; failures: { sender: string; message: string }[] }>;
  /** Submits through a sender's WABA; without it (tests of other routes) POST /api/v1/templates is not offered. */
  createTemplate?: (
    senderId: string,
    template: WireCreateTemplateRequest,
    signal: AbortSignal,
  ) => Promise<{ id: string; status: string; category: string | null }>;
}

/** POST /api/v1/templates/sync, GET /api/v1/templates and POST /api/v1/templates (submit for approval). */
export function registerTemplateRoutes(app: ChorusApp, deps: HttpDeps, extra: TemplateRouteDeps): void {
  const tags = ['templates'];
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/templates/sync',
      tags,
      security: bearerSecurity,
      request: { query: senderQuery },
      responses: {
        200: jsonResponse(
          z.looseObject({
            synced: z.number(),
            data: z.array(templateSchema),
            errors: z.array(z.object({ sender: z.string(), message: z.string() })),
          }),
          "Every template of the sender's WABA (of every sender's without ?sender; `errors` names senders whose sync failed)",
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { sender } = c.req.valid('query');
      if (sender !== undefined) await requireSender(deps.database.db, sender, 'sender');
      const { reports, failures } = await extra.syncTemplates(sender, c.req.raw.signal);
      if (reports.length === 0 && failures.length > 0) {
        throw new AppError(
          'upstream_failed',
          `no sender could sync: ${failures.map((f) => `${f.sender}: ${f.message}`).join('; ')}`,
        );
      }
      const byStatus: Record<string, number> = {};
      for (const report of reports)
        for (const [status, n] of Object.entries(report.by_status)) byStatus[status] = (byStatus[status] ?? 0) + n;
      await auditRequest(c, deps, {
        action: 'templates.sync',
        details: {
          sender: sender ?? 'all',
          synced: reports.reduce((sum, r) => sum + r.synced, 0),
          by_status: byStatus,
        },
      });
      return c.json(
        {
          synced: reports.reduce((sum, r) => sum + r.synced, 0),
          by_status: byStatus,
          data: reports.flatMap((r) => r.templates).map(templateJson),
          errors: failures,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/templates',
      tags,
      security: bearerSecurity,
      request: { query: senderQuery },
      responses: {
        200: jsonResponse(z.object({ data: z.array(templateSchema), next_cursor: z.null() }), 'Synced templates'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { sender } = c.req.valid('query');
      const waba =
        sender === undefined ? undefined : (await requireSender(deps.database.db, sender, 'sender')).businessAccountId;
      return c.json({ data: (await listTemplates(deps.database.db, waba)).map(templateJson), next_cursor: null }, 200);
    },
  );
  const { createTemplate } = extra;
  if (createTemplate === undefined) return;
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/templates',
      tags,
      security: bearerSecurity,
      description:
        "Submits a new template to the sender's WhatsApp Business Account for Meta's review, then syncs that account; the template is listed as PENDING until Meta decides.",
      request: { body: { content: { 'application/json': { schema: createTemplateSchema } }, required: true } },
      responses: {
        201: jsonResponse(
          z.object({ id: z.string(), name: z.string(), status: z.string(), category: z.string().nullable() }),
          'Submitted',
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { sender, ...template } = c.req.valid('json');
      await requireSender(deps.database.db, sender, 'sender');
      const created = await submitTemplate(
        createTemplate,
        sender,
        template as WireCreateTemplateRequest,
        c.req.raw.signal,
      );
      await auditRequest(c, deps, {
        action: 'template.create',
        target: { type: 'template', id: `${template.name}/${template.language}` },
        details: { sender, category: template.category, status: created.status },
      });
      return c.json({ id: created.id, name: template.name, status: created.status, category: created.category }, 201);
    },
  );
}

// Meta's refusal of the content (a parameter error, #100) is the person's to fix; anything else is upstream's.
async function submitTemplate(
  createTemplate: NonNullable<TemplateRouteDeps['createTemplate']>,
  sender: string,
  template: WireCreateTemplateRequest,
  signal: AbortSignal,
) {
  try {
    return await createTemplate(sender, template, signal);
  } catch (error) {
    if (!(error instanceof MetaApiError)) throw error;
    const message = error.error.details ?? error.error.title;
    if (error.error.code === 100)
      throw new AppError('content_rejected', message, { field: 'components', cause: error });
    throw new AppError('upstream_failed', error.message, { cause: error });
  }
}
