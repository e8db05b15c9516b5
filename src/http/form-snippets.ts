import { html } from 'hono/html';
import type { JoinPageForm } from './join-page.ts';

/** The two ways to put a form on another site: the hosted page in a frame, or a plain HTML form. */
export function embedSnippets(url: string, form: JoinPageForm): { iframe: string; html: string } {
  const iframe = html`<iframe src="${url}" title="${form.title}" width="100%" height="560" style="border:0;max-width:32rem"></iframe>`;
  // Static markup cannot carry the page's signed timestamp, so posts from it skip that check only.
  const plain = html`<form method="post" action="${url}">
  <label for="chorus-phone">Phone</label>
  <input type="tel" id="chorus-phone" name="phone" autocomplete="tel" required>
  <label for="chorus-first-name">First name</label>
  <input type="text" id="chorus-first-name" name="first_name" autocomplete="given-name">
  <input type="checkbox" id="chorus-consent" name="consent" value="on" required>
  <label for="chorus-consent">${form.consent_text}</label>
  <input type="text" name="website" tabindex="-1" autocomplete="off" aria-hidden="true" style="position:absolute;left:-10000px">
  <button type="submit">Subscribe</button>
</form>`;
  return { iframe: String(iframe), html: String(plain) };
}
