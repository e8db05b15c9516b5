// A message template as synced from Meta (GET /{WABA}/message_templates, reference/cloud-api.md §5),
// and the parameter slots it expects at send time (§1).

/** Template categories Meta assigns (§5); Meta may recategorise a template after approval. */
export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
/** One of TEMPLATE_CATEGORIES. */
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

/** How a template names its variables: `{{1}}` (POSITIONAL, Meta's default) or `{{first_name}}` (NAMED). */
export const PARAMETER_FORMATS = ['POSITIONAL', 'NAMED'] as const;
/** One of PARAMETER_FORMATS. */
export type ParameterFormat = (typeof PARAMETER_FORMATS)[number];

/** Template statuses (§5); only APPROVED is sendable. */
export const TEMPLATE_STATUSES = [
  'APPROVED',
  'PENDING',
  'REJECTED',
  'PAUSED',
  'DISABLED',
  'IN_APPEAL',
  'PENDING_DELETION',
  'DELETED',
  'ARCHIVED',
  'LIMIT_EXCEEDED',
] as const;
/** One of TEMPLATE_STATUSES. */
export type TemplateStatus = (typeof TEMPLATE_STATUSES)[number];

/** Template quality score (§3). */
export type TemplateQualityScore = 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN';

/** Header formats (§5). GIF headers are sent as a `video` parameter (UNCONFIRMED in the reference). */
export type HeaderFormat = 'TEXT' | 'IMAGE' | 'VIDEO' | 'DOCUMENT' | 'GIF' | 'LOCATION';

/** A template button as Meta returns it; kinds Chorus does not fill (OTP, FLOW, …) keep their raw shape. */
export type TemplateButton =
  | { type: 'QUICK_REPLY'; text: string }
  | { type: 'URL'; text: string; url: string; example?: string[] }
  | { type: 'PHONE_NUMBER'; text: string; phone_number: string }
  | { type: 'COPY_CODE'; example?: string | string[] }
  | { type: 'OTP' | 'FLOW' | 'MPM' | 'SPM' | 'VOICE_CALL' | 'CATALOG'; text?: string; [key: string]: unknown };

/** A template component as Meta returns it (uppercase `type`, §5). */
export type TemplateComponent =
  | { type: 'HEADER'; format: HeaderFormat; text?: string; example?: unknown }
  | { type: 'BODY'; text: string; example?: unknown }
  | { type: 'FOOTER'; text: string }
  | { type: 'BUTTONS'; buttons: TemplateButton[] };

/** A synced template. `language` is Meta's code, e.g. `en_US`. */
export interface TemplateDefinition {
  id?: string;
  name: string;
  language: string;
  status: TemplateStatus;
  category: TemplateCategory;
  parameterFormat: ParameterFormat;
  components: TemplateComponent[];
  qualityScore?: TemplateQualityScore;
}

/** The header parameter a template expects, if any. `name` is `'1'` or the NAMED variable. */
export type HeaderSlot =
  | { kind: 'text'; name: string }
  | { kind: 'media'; mediaType: 'image' | 'video' | 'document' }
  | { kind: 'location' };

/** A button that takes a parameter at send time; `index` is its position among all buttons (§1). */
export type ButtonSlot =
  | { subType: 'url'; index: number; required: true }
  | { subType: 'quick_reply'; index: number; required: false }
  | { subType: 'copy_code'; index: number; required: true };

/** Every parameter a template expects, in send order. */
export interface TemplateSlots {
  header: HeaderSlot | null;
  body: string[];
  buttons: ButtonSlot[];
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** The variable names in a text, in order of first appearance, without duplicates. */
export function placeholderNames(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    const name = match[1]!;
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** Body variables in send order: POSITIONAL sorted by number (`{{1}}`, `{{2}}`…), NAMED by first appearance. */
export function bodyParamNames(template: TemplateDefinition): string[] {
  const names = placeholderNames(findBody(template)?.text ?? '');
  if (template.parameterFormat === 'NAMED') return names;
  return names.sort((a, b) => Number(a) - Number(b));
}

/** The template's components of one kind. */
export function findHeader(template: TemplateDefinition): Extract<TemplateComponent, { type: 'HEADER' }> | undefined {
  return template.components.find((c) => c.type === 'HEADER') as Extract<TemplateComponent, { type: 'HEADER' }>;
}

/** The template's BODY component (Meta requires one, §5). */
export function findBody(template: TemplateDefinition): Extract<TemplateComponent, { type: 'BODY' }> | undefined {
  return template.components.find((c) => c.type === 'BODY') as Extract<TemplateComponent, { type: 'BODY' }>;
}

/** The template's FOOTER component, if any. */
export function findFooter(template: TemplateDefinition): Extract<TemplateComponent, { type: 'FOOTER' }> | undefined {
  return template.components.find((c) => c.type === 'FOOTER') as Extract<TemplateComponent, { type: 'FOOTER' }>;
}

/** The template's buttons, in position order (the position is the send-time `index`). */
export function templateButtons(template: TemplateDefinition): TemplateButton[] {
  const component = template.components.find((c) => c.type === 'BUTTONS');
  return component?.type === 'BUTTONS' ? component.buttons : [];
}

/** The header parameter the template expects (a TEXT header with a variable, a media or location header). */
export function headerSlot(template: TemplateDefinition): HeaderSlot | null {
  const header = findHeader(template);
  if (!header) return null;
  switch (header.format) {
    case 'TEXT': {
      const name = placeholderNames(header.text ?? '')[0];
      return name === undefined ? null : { kind: 'text', name };
    }
    case 'IMAGE':
      return { kind: 'media', mediaType: 'image' };
    case 'VIDEO':
    case 'GIF':
      return { kind: 'media', mediaType: 'video' };
    case 'DOCUMENT':
      return { kind: 'media', mediaType: 'document' };
    case 'LOCATION':
      return { kind: 'location' };
  }
}

/** Buttons that take a send-time parameter: dynamic URL suffixes, quick-reply payloads (optional), copy codes. */
export function buttonSlots(template: TemplateDefinition): ButtonSlot[] {
  const slots: ButtonSlot[] = [];
  templateButtons(template).forEach((button, index) => {
    if (button.type === 'URL' && placeholderNames(button.url).length > 0) {
      slots.push({ subType: 'url', index, required: true });
    } else if (button.type === 'QUICK_REPLY') {
      // Without a payload the webhook carries the button text instead (§4), so it is optional.
      slots.push({ subType: 'quick_reply', index, required: false });
    } else if (button.type === 'COPY_CODE') {
      slots.push({ subType: 'copy_code', index, required: true });
    }
  });
  return slots;
}

/** Every parameter the template expects. */
export function templateSlots(template: TemplateDefinition): TemplateSlots {
  return { header: headerSlot(template), body: bodyParamNames(template), buttons: buttonSlots(template) };
}

/** Whether the template can be sent at all (§5: only APPROVED). */
export function isSendable(template: TemplateDefinition): boolean {
  return template.status === 'APPROVED';
}

// Meta's own marketing opt-out button reads "Stop promotions" (localised); people also write these (§6).
const OPT_OUT_BUTTON =
  /\b(stop|unsubscribe|opt[\s-]?out|parar|detener|darme de baja|baja|sair|cancelar|abmelden|désabonner|desabonner|arrêter|arreter|stopp)\b/i;
// In free text "STOP" must be the upper-case keyword ("Reply STOP"), so "don't stop" does not count.
const OPT_OUT_TEXT = [/\bSTOP\b/, /\b(unsubscribe|opt[\s-]?out|stop promotions)\b/i];

/** Whether a quick-reply button lets the recipient opt out ("Stop promotions", "Unsubscribe", "STOP"…). */
export function hasOptOutButton(template: TemplateDefinition): boolean {
  return templateButtons(template).some((b) => b.type === 'QUICK_REPLY' && OPT_OUT_BUTTON.test(b.text));
}

/** Whether the footer or body tells the recipient how to opt out ("Reply STOP to unsubscribe"). */
export function hasOptOutText(template: TemplateDefinition): boolean {
  const texts = [findFooter(template)?.text, findBody(template)?.text].filter((t): t is string => !!t);
  return texts.some((text) => OPT_OUT_TEXT.some((pattern) => pattern.test(text)));
}

/** Whether the recipient is told, or given a button, to opt out. */
export function hasOptOut(template: TemplateDefinition): boolean {
  return hasOptOutButton(template) || hasOptOutText(template);
}
