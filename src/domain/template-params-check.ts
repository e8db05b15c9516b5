// Checks parameters against a template the way Meta would, before anything is queued, so a bad campaign fails at
// creation and a bad value skips one message instead of costing a send (reference/cloud-api.md §1, §2, §5).
import type {
  RenderedTemplate,
  TemplateButtonParameter,
  TemplateMediaParameter,
  TemplateTextParameter,
} from './outbound-message.ts';
import type { ButtonSlot, TemplateDefinition, TemplateSlots } from './template.ts';
import { findBody, findHeader, templateButtons, templateSlots } from './template.ts';

// Templates are immutable once synced; slots are parsed once per template, not once per message.
const slotCache = new WeakMap<TemplateDefinition, TemplateSlots>();
function slotsOf(template: TemplateDefinition): TemplateSlots {
  let slots = slotCache.get(template);
  if (!slots) {
    slots = templateSlots(template);
    slotCache.set(template, slots);
  }
  return slots;
}

/** The Meta error a problem would cause (§2): 132000 count, 132005 too long, 132012 format, 100 invalid, 132001 name. */
export type ParamIssueCode = 100 | 132000 | 132001 | 132005 | 132012;

/** One problem, with where it is (`params.body[1]`) and the Meta code it would earn. */
export interface ParamIssue {
  path: string;
  code: ParamIssueCode;
  message: string;
}

/** Character limits after filling in (§5 and the URL button spec). */
export const PARAM_LIMITS = {
  /** HEADER TEXT ≤60 characters including the filled-in variable (§5). */
  headerTextChars: 60,
  /** BODY ≤1024 characters including filled-in variables (§5; 132005 when over). */
  bodyChars: 1024,
  /** A URL button's URL ≤2000 characters with the suffix filled in (Meta template components docs). */
  urlChars: 2000,
  /** COPY_CODE coupon ≤20 characters (§5). */
  couponChars: 20,
  /** Quick-reply payload: UNCONFIRMED; 256 like an interactive reply id (§1). */
  payloadChars: 256,
} as const;

const ANY_TEXT_PROBLEM = /[\r\n\t]| {5}/;

/** Why a text parameter would be refused (error 100: newline, tab, >4 consecutive spaces; empty), or null. */
export function textValueProblem(value: string): string | null {
  if (value.trim() === '') return 'empty value';
  // Every rendered value is checked: one test for the usual case of no problem at all.
  if (!ANY_TEXT_PROBLEM.test(value)) return null;
  if (/[\r\n]/.test(value)) return 'contains a newline';
  if (/\t/.test(value)) return 'contains a tab';
  if (/ {5,}/.test(value)) return 'has more than 4 consecutive spaces';
  return null;
}

/** A template text split into what stays and the variables in it. */
interface PlaceholderText {
  fixedLength: number;
  placeholders: { name: string; tokenLength: number }[];
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;
const MAX_PARSED_TEXTS = 1000;
// Every message of a campaign checks the same few texts: each is parsed once, not per message.
const parsedTexts = new Map<string, PlaceholderText>();

/** The length of `text` once its `{{name}}` variables are filled with values; unknown variables stay as written. */
export function filledLength(text: string, values: ReadonlyMap<string, string>): number {
  let parsed = parsedTexts.get(text);
  if (parsed === undefined) {
    if (parsedTexts.size >= MAX_PARSED_TEXTS) parsedTexts.clear();
    parsed = parsePlaceholders(text);
    parsedTexts.set(text, parsed);
  }
  let length = parsed.fixedLength;
  for (const { name, tokenLength } of parsed.placeholders) length += values.get(name)?.length ?? tokenLength;
  return length;
}

function parsePlaceholders(text: string): PlaceholderText {
  const placeholders = [...text.matchAll(PLACEHOLDER)].map(([token, name]) => ({
    name: name as string,
    tokenLength: token.length,
  }));
  const tokensLength = placeholders.reduce((sum, p) => sum + p.tokenLength, 0);
  return { fixedLength: text.length - tokensLength, placeholders };
}

/** Every problem Meta would find in this rendered template (empty when it is sendable). */
export function checkRenderedTemplate(rendered: RenderedTemplate, template: TemplateDefinition): ParamIssue[] {
  const issues: ParamIssue[] = [];
  if (rendered.name !== template.name || rendered.languageCode !== template.language) {
    const wanted = `${template.name}/${template.language}`;
    issues.push(issue('template', 132001, `is ${rendered.name}/${rendered.languageCode}, expected ${wanted}`));
  }
  checkHeader(rendered.header, template, issues);
  checkBody(rendered.body, template, issues);
  checkButtons(rendered.buttons, template, issues);
  return issues;
}

function checkHeader(
  header: TemplateTextParameter | TemplateMediaParameter | undefined,
  template: TemplateDefinition,
  issues: ParamIssue[],
): void {
  const slot = slotsOf(template).header;
  const path = 'header';
  if (!slot || slot.kind === 'location') {
    if (header) issues.push(issue(path, 132000, 'template expects no header parameter'));
    if (slot?.kind === 'location') issues.push(issue(path, 132012, 'LOCATION headers are not supported'));
    return;
  }
  if (!header) return void issues.push(issue(path, 132000, `template expects a ${slot.kind} header parameter`));
  if (slot.kind === 'media') {
    if (header.type !== slot.mediaType)
      issues.push(issue(path, 132012, `expected ${slot.mediaType}, got ${header.type}`));
    else if (!('link' in header ? header.link || header.mediaId : false)) {
      issues.push(issue(path, 100, 'media header needs a link or a media id'));
    }
    return;
  }
  if (header.type !== 'text') return void issues.push(issue(path, 132012, `expected text, got ${header.type}`));
  checkTextParam(header, [slot.name], template, path, issues);
  const text = findHeader(template)?.text ?? '';
  const filled = filledLength(text, new Map([[slot.name, header.text]]));
  if (filled > PARAM_LIMITS.headerTextChars) {
    issues.push(issue(path, 132005, `header is ${filled} characters once filled, limit 60`));
  }
}

function checkBody(body: TemplateTextParameter[], template: TemplateDefinition, issues: ParamIssue[]): void {
  const names = slotsOf(template).body;
  if (body.length !== names.length) {
    issues.push(issue('body', 132000, `template expects ${names.length} body parameters, got ${body.length}`));
    return;
  }
  const values = new Map<string, string>();
  body.forEach((param, i) => {
    checkTextParam(param, names, template, `body[${i}]`, issues);
    values.set(template.parameterFormat === 'NAMED' ? (param.name ?? '') : names[i]!, param.text);
  });
  if (template.parameterFormat === 'NAMED') {
    const missing = names.filter((n) => !values.has(n));
    if (missing.length > 0) issues.push(issue('body', 132000, `missing named parameters: ${missing.join(', ')}`));
  }
  const filled = filledLength(findBody(template)?.text ?? '', values);
  if (filled > PARAM_LIMITS.bodyChars) {
    issues.push(issue('body', 132005, `body is ${filled} characters once filled, limit 1024`));
  }
}

function checkTextParam(
  param: TemplateTextParameter,
  allowedNames: string[],
  template: TemplateDefinition,
  path: string,
  issues: ParamIssue[],
): void {
  if (template.parameterFormat === 'NAMED') {
    if (!param.name) issues.push(issue(path, 132012, 'NAMED template: parameter needs a name'));
    else if (!allowedNames.includes(param.name)) {
      issues.push(issue(path, 132012, `unknown parameter name "${param.name}"`));
    }
  } else if (param.name !== undefined) {
    issues.push(issue(path, 132012, 'POSITIONAL template: parameters carry no name'));
  }
  const problem = textValueProblem(param.text);
  if (problem) issues.push(issue(path, 100, problem));
}

function checkButtons(buttons: TemplateButtonParameter[], template: TemplateDefinition, issues: ParamIssue[]): void {
  const slots = slotsOf(template).buttons;
  const seen = new Set<number>();
  for (const button of buttons) {
    const path = `buttons[${button.index}]`;
    const slot = slots.find((s) => s.index === button.index);
    if (seen.has(button.index)) issues.push(issue(path, 132000, 'two parameters for one button'));
    seen.add(button.index);
    if (!slot) issues.push(issue(path, 132000, `button ${button.index} takes no parameter`));
    else if (slot.subType !== button.subType) {
      issues.push(issue(path, 132012, `button ${button.index} is ${slot.subType}, got ${button.subType}`));
    } else checkButtonValue(button, slot, template, path, issues);
  }
  for (const slot of slots) {
    if (slot.required && !seen.has(slot.index)) {
      issues.push(issue(`buttons[${slot.index}]`, 132000, `${slot.subType} button ${slot.index} needs a parameter`));
    }
  }
}

function checkButtonValue(
  button: TemplateButtonParameter,
  _slot: ButtonSlot,
  template: TemplateDefinition,
  path: string,
  issues: ParamIssue[],
): void {
  const value =
    button.subType === 'url' ? button.text : button.subType === 'copy_code' ? button.couponCode : button.payload;
  const problem = textValueProblem(value);
  if (problem) return void issues.push(issue(path, 100, problem));
  const length = button.subType === 'url' ? filledUrlLength(template, button.index, value) : value.length;
  const limit = LIMIT_BY_SUBTYPE[button.subType];
  if (length > limit) issues.push(issue(path, 132005, `${button.subType} is ${length} characters, limit ${limit}`));
}

const LIMIT_BY_SUBTYPE = {
  url: PARAM_LIMITS.urlChars,
  copy_code: PARAM_LIMITS.couponChars,
  quick_reply: PARAM_LIMITS.payloadChars,
} as const;

function filledUrlLength(template: TemplateDefinition, index: number, suffix: string): number {
  const button = templateButtons(template)[index];
  const url = button?.type === 'URL' ? button.url : '';
  return filledLength(url, new Map([['1', suffix]]));
}

function issue(path: string, code: ParamIssueCode, message: string): ParamIssue {
  return { path, code, message };
}

/** One line for people: `body[1]: contains a newline`. */
export function describeIssue(problem: ParamIssue): string {
  return `${problem.path}: ${problem.message}`;
}
