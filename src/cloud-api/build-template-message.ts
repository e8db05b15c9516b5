// Builds the wire body of a template send from dispatch's RenderedTemplate (reference/cloud-api.md §1).
import type {
  OutboundMessage,
  RenderedTemplate,
  TemplateButtonParameter,
  TemplateMediaParameter,
  TemplateTextParameter,
} from '../domain/outbound-message.ts';
import { assertWireRecipient, wireEnvelope } from './wire-envelope.ts';
import type {
  WireButtonComponent,
  WireHeaderParameter,
  WireMediaRef,
  WireTemplateComponent,
  WireTemplateMessage,
  WireTextParameter,
} from './wire-send.ts';

/** The wire body of a template message; throws AppError on a `to` without `+` or bad callback data. */
export function buildTemplateMessage(message: OutboundMessage): WireTemplateMessage {
  assertWireRecipient(message.to, message.callbackData);
  // Object.assign rather than `{ ...envelope, type, template }`: Node 20's V8 copies a spread
  // followed by more properties on a slow path, 3-5 µs a send.
  return Object.assign(wireEnvelope(message.to, message.callbackData), {
    type: 'template' as const,
    template: wireTemplate(message.template),
  });
}

function wireTemplate(t: RenderedTemplate): WireTemplateMessage['template'] {
  const components: WireTemplateComponent[] = [];
  if (t.header !== undefined) components.push({ type: 'header', parameters: [headerParameter(t.header)] });
  if (t.body.length > 0) components.push({ type: 'body', parameters: t.body.map(textParameter) });
  for (const button of t.buttons) components.push(buttonComponent(button));
  // language.policy is left out: SPEC marks it required, Meta accepts {code} alone (§1).
  const template: WireTemplateMessage['template'] = { name: t.name, language: { code: t.languageCode } };
  if (components.length > 0) template.components = components;
  return template;
}

function textParameter(p: TemplateTextParameter): WireTextParameter {
  // NAMED templates: every text parameter carries parameter_name, in any order (§1).
  return p.name === undefined ? { type: 'text', text: p.text } : { type: 'text', text: p.text, parameter_name: p.name };
}

function headerParameter(p: TemplateTextParameter | TemplateMediaParameter): WireHeaderParameter {
  if (p.type === 'text') return textParameter(p);
  const ref = mediaRef(p);
  if (p.type === 'image') return { type: 'image', image: ref };
  if (p.type === 'video') return { type: 'video', video: ref };
  return { type: 'document', document: p.filename === undefined ? ref : { ...ref, filename: p.filename } };
}

/** Uploaded media id wins over a link: Meta prefers ids at high throughput (§1). */
function mediaRef(p: TemplateMediaParameter): WireMediaRef {
  if (p.mediaId !== undefined) return { id: p.mediaId };
  if (p.link !== undefined) return { link: p.link };
  throw new TypeError(`${p.type} header parameter has neither a media id nor a link`);
}

function buttonComponent(b: TemplateButtonParameter): WireButtonComponent {
  // index is a string "0"–"9", the button's position in the template (§1).
  if (!Number.isInteger(b.index) || b.index < 0 || b.index > 9)
    throw new RangeError(`button index ${b.index} not in 0–9`);
  const index = String(b.index);
  if (b.subType === 'url')
    return { type: 'button', sub_type: 'url', index, parameters: [{ type: 'text', text: b.text }] };
  if (b.subType === 'quick_reply') {
    return { type: 'button', sub_type: 'quick_reply', index, parameters: [{ type: 'payload', payload: b.payload }] };
  }
  return {
    type: 'button',
    sub_type: 'copy_code',
    index,
    parameters: [{ type: 'coupon_code', coupon_code: b.couponCode }],
  };
}
