import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  createSignupForm,
  listSignupFormsPage,
  patchSignupForm,
  removeSignupForm,
  requireSignupForm,
  type SignupFormView,
} from '../../app/signup-forms.ts';
import { CONSENT_PURPOSES } from '../../domain/consent.ts';
import { SLUG_PATTERN } from '../../domain/signup-form.ts';
import type { AppEnv, ChorusApp, HttpDeps } from '../app.ts';
import { auditSourceOf } from '../audit-request.ts';
import { embedSnippets } from '../form-snippets.ts';
import { publicBaseUrl } from '../join-page.ts';
import { bearerSecurity, errorResponses, jsonResponse, pageQuerySchema } from '../openapi.ts';

const formSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    consent_text: z.string(),
    tags: z.array(z.string()),
    purpose: z.enum(CONSENT_PURPOSES),
    double_opt_in: z.boolean(),
    sender: z.string(),
    url: z.string().openapi({ description: 'The hosted page, /join/{slug}' }),
    embed: z.object({
      iframe: z.string().openapi({ description: 'Paste into a page to show the hosted form in a frame' }),
      html: z.string().openapi({ description: 'A plain HTML form posting to Chorus, to style as the site likes' }),
    }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('SignupForm');

const inputSchema = z.strictObject({
  slug: z.string().regex(SLUG_PATTERN, 'must be lowercase letters, digits and dashes, like spring-news'),
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2000).nullable().optional(),
  consent_text: z.string().trim().min(1).max(1000).openapi({ description: 'The exact words the checkbox agrees to' }),
  tags: z.array(z.string().trim().min(1)).max(20).optional(),
  purpose: z
    .enum(CONSENT_PURPOSES)
    .optional()
    .openapi({ description: 'What the consent is for (marketing unless said)' }),
  double_opt_in: z.boolean().optional().openapi({ description: 'Confirm the number by a WhatsApp message first' }),
  sender: z.string().min(1).optional().openapi({ description: 'Whose number takes double opt-in messages (default)' }),
});
const idParams = z.object({ id: z.string().regex(/^\d+$/, 'must be a form id') });

/** /api/v1/forms: hosted sign-up forms (operators write; the public page is /join/{slug}). */
export function registerFormRoutes(app: ChorusApp, deps: HttpDeps): void {
  const tags = ['sign-up forms'];
  const db = deps.database.db;
  const withLinks = (c: Context<AppEnv>, form: SignupFormView) => {
    const url = `${publicBaseUrl(c, deps.trustProxy)}/join/${form.slug}`;
    return { ...form, url, embed: embedSnippets(url, form) };
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/forms',
      tags,
      security: bearerSecurity,
      request: { query: pageQuerySchema },
      responses: {
        200: jsonResponse(z.object({ data: z.array(formSchema), next_cursor: z.string().nullable() }), 'Newest first'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const page = await listSignupFormsPage(db, c.req.valid('query'));
      return c.json({ data: page.data.map((f) => withLinks(c, f)), next_cursor: page.next_cursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/forms',
      tags,
      security: bearerSecurity,
      request: { body: { content: { 'application/json': { schema: inputSchema } }, required: true } },
      responses: { 201: jsonResponse(formSchema, 'Created; its page is live at once'), ...errorResponses },
    }),
    async (c) => {
      const form = await createSignupForm(db, c.req.valid('json'), auditSourceOf(c, deps), deps.clock());
      return c.json(withLinks(c, form), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/forms/{id}',
      tags,
      security: bearerSecurity,
      request: { params: idParams },
      responses: { 200: jsonResponse(formSchema, 'The form'), ...errorResponses },
    }),
    async (c) => c.json(withLinks(c, await requireSignupForm(db, Number(c.req.valid('param').id))), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/forms/{id}',
      tags,
      security: bearerSecurity,
      description: 'Changes the given fields; grants already made keep the wording they were given with.',
      request: {
        params: idParams,
        body: { content: { 'application/json': { schema: inputSchema.partial() } }, required: true },
      },
      responses: { 200: jsonResponse(formSchema, 'Changed'), ...errorResponses },
    }),
    async (c) => {
      const id = Number(c.req.valid('param').id);
      const form = await patchSignupForm(db, id, c.req.valid('json'), auditSourceOf(c, deps), deps.clock());
      return c.json(withLinks(c, form), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/forms/{id}',
      tags,
      security: bearerSecurity,
      description: 'Removes the form: its page answers 404; the consent it collected stays in the ledger.',
      request: { params: idParams },
      responses: { 204: { description: 'Removed' }, ...errorResponses },
    }),
    async (c) => {
      await removeSignupForm(db, Number(c.req.valid('param').id), auditSourceOf(c, deps), deps.clock());
      return c.body(null, 204);
    },
  );
}
