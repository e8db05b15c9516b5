import type { Context } from 'hono';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { isHttps } from './request-info.ts';

// The public sign-up page: small, server-rendered, with no script at all, so it works anywhere and
// under a strict Content-Security-Policy (styles carry the response's nonce). `html` escapes every
// interpolated value, so what an operator typed (title, wording) can never become markup.

/** What the page shows of a form. */
export interface JoinPageForm {
  title: string;
  description: string | null;
  consent_text: string;
}

/** A refusal shown beside the field at fault. */
export interface FieldProblem {
  field: string;
  reason: string;
}

const STYLE = `
body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1b1f24}
main{max-width:28rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.5rem;margin:0 0 .5rem}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input[type=tel],input[type=text]{box-sizing:border-box;width:100%;padding:.6rem;border:1px solid #8a939e;border-radius:6px;font:inherit}
.consent{display:flex;gap:.6rem;align-items:flex-start;margin:1.25rem 0}
.consent label{font-weight:400;margin:0}
.consent input{width:1.25rem;height:1.25rem;margin-top:.15rem;flex:none}
button,.button{display:inline-block;background:#0b6e4f;color:#fff;border:0;border-radius:6px;padding:.7rem 1.2rem;font:inherit;font-weight:600;text-decoration:none;cursor:pointer}
button:focus-visible,.button:focus-visible,input:focus-visible{outline:3px solid #f2a900;outline-offset:2px}
.problem{background:#fdecea;border:1px solid #b3261e;color:#7a1a14;border-radius:6px;padding:.75rem;margin:1rem 0}
.code{font:700 1.4rem/1.2 ui-monospace,monospace;letter-spacing:.1em}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
`;

/** The Content-Security-Policy of a page whose only style carries `nonce`; any site may frame it. */
export function joinPagePolicy(nonce: string): string {
  return `default-src 'none'; style-src 'nonce-${nonce}'; form-action 'self'; base-uri 'none'; frame-ancestors *`;
}

/** Where this server is reached from the outside, as the request says (scheme and host). */
export function publicBaseUrl(c: Context, trustProxy: boolean): string {
  const url = new URL(c.req.url);
  const forwardedHost = trustProxy ? c.req.header('x-forwarded-host')?.split(',')[0]?.trim() : undefined;
  return `${isHttps(c, trustProxy) ? 'https' : 'http'}://${forwardedHost ?? url.host}`;
}

function layout(title: string, nonce: string, body: HtmlEscapedString | Promise<HtmlEscapedString>) {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${title}</title><style nonce="${nonce}">${STYLE}</style></head>
<body><main>${body}</main></body></html>`;
}

/** The form itself; after a refusal, the problem is announced and what was typed is kept. */
export function renderJoinForm(
  form: JoinPageForm,
  page: { action: string; token: string; nonce: string; problem?: FieldProblem; phone?: string; firstName?: string },
) {
  const { problem } = page;
  const invalid = (field: string) => (problem?.field === field ? 'true' : 'false');
  return layout(
    form.title,
    page.nonce,
    html`<h1>${form.title}</h1>
${form.description ? html`<p>${form.description}</p>` : ''}
${problem ? html`<p class="problem" role="alert" id="problem">${problem.reason}</p>` : ''}
<form method="post" action="${page.action}">
<label for="phone">Phone</label>
<input type="tel" id="phone" name="phone" autocomplete="tel" required value="${page.phone ?? ''}" aria-invalid="${invalid('phone')}"${problem?.field === 'phone' ? html` aria-describedby="problem"` : ''}>
<label for="first_name">First name</label>
<input type="text" id="first_name" name="first_name" autocomplete="given-name" maxlength="100" value="${page.firstName ?? ''}">
<div class="consent"><input type="checkbox" id="consent" name="consent" value="on" required aria-invalid="${invalid('consent')}">
<label for="consent">${form.consent_text}</label></div>
<div class="hp" aria-hidden="true"><label for="website">Leave this field empty</label><input type="text" id="website" name="website" tabindex="-1" autocomplete="off"></div>
<input type="hidden" name="token" value="${page.token}">
<button type="submit">Subscribe</button>
</form>`,
  );
}

/** Subscribed: says so plainly. */
export function renderSubscribed(form: JoinPageForm, nonce: string) {
  return layout(
    form.title,
    nonce,
    html`<h1>You are subscribed</h1><p role="status">Thank you. You agreed to: “${form.consent_text}”</p>
<p>You can stop at any time by replying STOP to any of our messages.</p>`,
  );
}

/** Double opt-in: the link that opens WhatsApp with the code typed in, and the code to send by hand. */
export function renderConfirm(form: JoinPageForm, confirm: { waLink: string; code: string; nonce: string }) {
  return layout(
    form.title,
    confirm.nonce,
    html`<h1>One more step</h1>
<p role="status">To confirm, send us this code on WhatsApp from the number you gave:</p>
<p class="code">${confirm.code}</p>
<p><a class="button" href="${confirm.waLink}" target="_blank" rel="noopener">Open WhatsApp and send the code</a></p>
<p>Your subscription starts when the code arrives.</p>`,
  );
}

/** A page that explains a refusal that has no field to point at (no such form, a number that was erased). */
export function renderProblem(title: string, reason: string, nonce: string) {
  return layout(title, nonce, html`<h1>${title}</h1><p class="problem" role="alert">${reason}</p>`);
}
