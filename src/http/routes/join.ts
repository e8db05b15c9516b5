import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { CredentialBox } from '../../app/credential-box.ts';
import { subscribeThroughForm } from '../../app/form-subscription.ts';
import { AppError } from '../../domain/errors.ts';
import { judgeSubmission } from '../../domain/signup-form.ts';
import { findSignupFormBySlug } from '../../store/signup-forms-repo.ts';
import type { AppEnv, ChorusApp, HttpDeps } from '../app.ts';
import {
  type FieldProblem,
  joinPagePolicy,
  publicBaseUrl,
  renderConfirm,
  renderJoinForm,
  renderProblem,
  renderSubscribed,
} from '../join-page.ts';
import { clientIp } from '../request-info.ts';

const FORM_BODY_LIMIT_BYTES = 16 * 1024;

/** What the public pages need besides the HTTP deps: the box that signs a page's timestamp. */
export interface JoinRouteOptions {
  box: CredentialBox;
}

/** The signed token's owner: a token served for one form does not pass on another. */
const tokenOwner = (slug: string) => `signup-form:${slug}`;

/** GET and POST /join/{slug}: the hosted sign-up page, public, frameable by any site. */
export function registerJoinRoutes(app: ChorusApp, deps: HttpDeps, options: JoinRouteOptions): void {
  const db = deps.database.db;
  app.get('/join/:slug', async (c) => {
    const form = await findSignupFormBySlug(db, c.req.param('slug'));
    if (!form) return notFound(c);
    const token = options.box.seal(String(deps.clock()), tokenOwner(form.slug));
    return page(c, 200, (nonce) => renderJoinForm(form, { action: c.req.path, token, nonce }));
  });

  app.post('/join/:slug', bodyLimit({ maxSize: FORM_BODY_LIMIT_BYTES }), async (c) => {
    const form = await findSignupFormBySlug(db, c.req.param('slug'));
    if (!form) return notFound(c);
    const fields = await c.req.parseBody();
    const text = (name: string) => (typeof fields[name] === 'string' ? (fields[name] as string) : '');
    const now = deps.clock();
    const verdict = judgeSubmission(
      {
        phone: text('phone'),
        firstName: text('first_name'),
        consent: text('consent') || undefined,
        honeypot: text('website'),
        servedAt: servedAtOf(options.box, form.slug, text('token')),
      },
      now,
    );
    const refuse = (problem: FieldProblem, status: 400 | 409) => {
      const token = options.box.seal(String(now), tokenOwner(form.slug));
      const again = { action: c.req.path, token, problem, phone: text('phone'), firstName: text('first_name') };
      return page(c, status, (nonce) => renderJoinForm(form, { ...again, nonce }));
    };
    if (!verdict.ok) return refuse(verdict, 400);
    try {
      const outcome = await subscribeThroughForm(
        db,
        form,
        {
          phone: verdict.phone,
          firstName: verdict.firstName,
          ip: clientIp(c, deps.trustProxy),
          userAgent: c.req.header('user-agent')?.slice(0, 500) ?? null,
          formUrl: `${publicBaseUrl(c, deps.trustProxy)}/join/${form.slug}`,
        },
        now,
      );
      if (outcome.kind === 'subscribed') return page(c, 201, (nonce) => renderSubscribed(form, nonce));
      const waLink = `https://wa.me/${outcome.waNumber}?text=${encodeURIComponent(outcome.code)}`;
      return page(c, 202, (nonce) => renderConfirm(form, { waLink, code: outcome.code, nonce }));
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      return refuse({ field: error.field ?? 'phone', reason: error.message }, 409);
    }
  });
}

/**
 * Answers a page under its own policy: its one style carries a fresh nonce, no script may run,
 * and any site may frame it (the embed snippet). Never cached: each page carries its own token.
 */
function page(c: Context<AppEnv>, status: 200 | 201 | 202 | 400 | 404 | 409, render: (nonce: string) => PageBody) {
  const nonce = randomBytes(16).toString('base64');
  c.header('Content-Security-Policy', joinPagePolicy(nonce));
  c.header('Cache-Control', 'no-store');
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'same-origin');
  return c.html(render(nonce), status);
}

type PageBody = ReturnType<typeof renderProblem>;

function notFound(c: Context<AppEnv>) {
  return page(c, 404, (nonce) =>
    renderProblem('Form not found', 'This sign-up form does not exist or was removed.', nonce),
  );
}

/** When the page was served, from its signed token; null without one, 'invalid' when it does not open. */
function servedAtOf(box: CredentialBox, slug: string, token: string): number | null | 'invalid' {
  if (token === '') return null;
  try {
    const servedAt = Number(box.open(token, tokenOwner(slug)));
    return Number.isSafeInteger(servedAt) ? servedAt : 'invalid';
  } catch {
    return 'invalid';
  }
}
