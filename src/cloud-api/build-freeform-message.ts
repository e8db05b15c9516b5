// Builds free-form sends (text, media, interactive), allowed only inside the 24 h window
// (131047 otherwise, reference/cloud-api.md §6). Limits from §1.
import { AppError } from '../domain/errors.ts';
import { assertWireRecipient, wireEnvelope } from './wire-envelope.ts';
import type {
  WireInteractiveHeader,
  WireInteractiveMessage,
  WireListSection,
  WireMediaKind,
  WireMediaMessage,
  WireMediaObject,
  WireMediaRef,
  WireTextMessage,
} from './wire-send.ts';

/** Who gets the message, our id echoed by webhooks, and optionally the wamid we reply to. */
export interface FreeformAddress {
  to: string;
  callbackData: string;
  replyToWamid?: string;
}

/** A text message (body ≤4096). */
export function buildTextMessage(
  a: FreeformAddress,
  body: string,
  options: { previewUrl?: boolean } = {},
): WireTextMessage {
  checkLength('text.body', body, 1, 4096);
  const text: WireTextMessage['text'] =
    options.previewUrl === undefined ? { body } : { body, preview_url: options.previewUrl };
  return { ...envelope(a), type: 'text', text };
}

/** A media message; caption only on image/video/document (≤1024), filename only on document. */
export function buildMediaMessage(
  a: FreeformAddress,
  kind: WireMediaKind,
  media: WireMediaRef,
  options: { caption?: string; filename?: string } = {},
): WireMediaMessage {
  const object: WireMediaObject = { ...media };
  if (options.caption !== undefined) {
    if (kind === 'audio' || kind === 'sticker') throw invalid('caption', `${kind} takes no caption`);
    checkLength('caption', options.caption, 0, 1024);
    object.caption = options.caption;
  }
  if (options.filename !== undefined) {
    if (kind !== 'document') throw invalid('filename', 'only documents take a filename');
    object.filename = options.filename;
  }
  return { ...envelope(a), type: kind, [kind]: object } as WireMediaMessage;
}

/** Optional header and footer of an interactive message. */
export interface InteractiveExtras {
  header?: WireInteractiveHeader;
  footer?: string;
}

/** Reply buttons: 1–3 buttons, id ≤256, title ≤20, body ≤1024. */
export function buildReplyButtonsMessage(
  a: FreeformAddress,
  bodyText: string,
  buttons: { id: string; title: string }[],
  extras: InteractiveExtras = {},
): WireInteractiveMessage {
  if (buttons.length < 1 || buttons.length > 3) throw invalid('buttons', 'reply buttons take 1–3 buttons');
  for (const b of buttons) {
    checkLength('button.id', b.id, 1, 256);
    checkLength('button.title', b.title, 1, 20);
  }
  const action = {
    buttons: buttons.map((reply) => ({ type: 'reply' as const, reply: { id: reply.id, title: reply.title } })),
  };
  return { ...envelope(a), type: 'interactive', interactive: { type: 'button', ...common(bodyText, extras), action } };
}

/** A list: button label ≤20, 1–10 sections, at most 10 rows in total (the safe cap, §1). */
export function buildListMessage(
  a: FreeformAddress,
  bodyText: string,
  button: string,
  sections: WireListSection[],
  extras: InteractiveExtras = {},
): WireInteractiveMessage {
  checkLength('action.button', button, 1, 20);
  if (sections.length < 1 || sections.length > 10) throw invalid('sections', 'a list takes 1–10 sections');
  if (sections.reduce((n, s) => n + s.rows.length, 0) > 10) throw invalid('sections', 'a list takes at most 10 rows');
  for (const s of sections) checkSection(s, sections.length > 1);
  const action = { button, sections };
  return { ...envelope(a), type: 'interactive', interactive: { type: 'list', ...common(bodyText, extras), action } };
}

function checkSection(s: WireListSection, needsTitle: boolean): void {
  if (needsTitle && s.title === undefined)
    throw invalid('sections', 'every section needs a title when there are several');
  if (s.title !== undefined) checkLength('section.title', s.title, 1, 24);
  if (s.rows.length < 1) throw invalid('sections', 'a section needs at least one row');
  for (const r of s.rows) {
    checkLength('row.id', r.id, 1, 200);
    checkLength('row.title', r.title, 1, 24);
    if (r.description !== undefined) checkLength('row.description', r.description, 0, 72);
  }
}

function common(bodyText: string, extras: InteractiveExtras) {
  checkLength('body.text', bodyText, 1, 1024);
  const out: { body: { text: string }; header?: WireInteractiveHeader; footer?: { text: string } } = {
    body: { text: bodyText },
  };
  if (extras.header !== undefined) {
    if (extras.header.type === 'text') checkLength('header.text', extras.header.text, 1, 60);
    out.header = extras.header;
  }
  if (extras.footer !== undefined) {
    checkLength('footer.text', extras.footer, 1, 60);
    out.footer = { text: extras.footer };
  }
  return out;
}

function envelope(a: FreeformAddress) {
  assertWireRecipient(a.to, a.callbackData);
  const base = wireEnvelope(a.to, a.callbackData);
  return a.replyToWamid === undefined ? base : { ...base, context: { message_id: a.replyToWamid } };
}

function checkLength(field: string, value: string, min: number, max: number): void {
  if (value.length < min || value.length > max) throw invalid(field, `${field} must be ${min}–${max} characters`);
}

function invalid(field: string, message: string): AppError {
  return new AppError('validation_failed', message, { field });
}
