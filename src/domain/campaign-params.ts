// A campaign's `params` against its template: checked once at creation (count and format mismatches are creation
// errors, reference/cloud-api.md §1, §5), then compiled to one function contact → RenderedTemplate | skip reason.
import { AppError } from './errors.ts';
import type { RenderedTemplate, TemplateButtonParameter, TemplateMediaParameter } from './outbound-message.ts';
import type {
  CampaignParamsSpec,
  CompiledParam,
  HeaderParamSpec,
  MediaParamSpec,
  ParamContact,
  RenderResult,
} from './params.ts';
import { buttonSpecEntries, isMediaParamSpec, tryCompileParam } from './params.ts';
import type { ButtonSlot, HeaderSlot, TemplateDefinition } from './template.ts';
import { templateSlots } from './template.ts';
import type { ParamIssue } from './template-params-check.ts';
import { checkRenderedTemplate, describeIssue } from './template-params-check.ts';

/** Renders one contact's template, or says why this contact's message is skipped. */
export type CampaignRenderer = (contact: ParamContact) => RenderResult<RenderedTemplate>;

/** Every problem with a campaign's params for this template (empty when it can be compiled). */
export function checkParamsSpec(spec: CampaignParamsSpec, template: TemplateDefinition): ParamIssue[] {
  const issues: ParamIssue[] = [];
  const slots = templateSlots(template);
  checkHeaderSpec(spec.header, slots.header, issues);
  for (const { path, source } of bodyEntries(spec.body, template, issues)) compileOrIssue(source, path, issues);
  checkButtonsSpec(spec, slots.buttons, issues);
  return issues;
}

/** Checks `spec` against `template` and compiles it; throws AppError(validation_failed) listing every problem. */
export function compileCampaignParams(spec: CampaignParamsSpec, template: TemplateDefinition): CampaignRenderer {
  const issues = checkParamsSpec(spec, template);
  if (issues.length > 0) {
    throw new AppError('validation_failed', issues.map(describeIssue).join('; '), { field: issues[0]!.path });
  }
  const isNamed = template.parameterFormat === 'NAMED';
  const renderHeader = compileHeader(spec.header, templateSlots(template).header, isNamed);
  const body = bodyEntries(spec.body, template, []).map(({ path, name, source }) => ({
    name: isNamed ? name : undefined,
    param: compile(source, path),
  }));
  const buttons = compileButtons(spec, templateSlots(template).buttons);
  return (contact) => {
    const header = renderHeader(contact);
    if (!header.ok) return header;
    const rendered: RenderedTemplate = { name: template.name, languageCode: template.language, body: [], buttons: [] };
    if (header.value) rendered.header = header.value;
    for (const { name, param } of body) {
      const value = param.render(contact);
      if (!value.ok) return value;
      rendered.body.push(
        name === undefined ? { type: 'text', text: value.value } : { type: 'text', text: value.value, name },
      );
    }
    for (const button of buttons) {
      const value = button.param.render(contact);
      if (!value.ok) return value;
      rendered.buttons.push(button.make(value.value));
    }
    const problems = checkRenderedTemplate(rendered, template);
    return problems.length > 0 ? { ok: false, reason: describeIssue(problems[0]!) } : { ok: true, value: rendered };
  };
}

function checkHeaderSpec(spec: HeaderParamSpec | undefined, slot: HeaderSlot | null, issues: ParamIssue[]): void {
  const path = 'params.header';
  if (!slot) {
    if (spec !== undefined) issues.push({ path, code: 132000, message: 'template has no header parameter' });
    return;
  }
  if (slot.kind === 'location') {
    issues.push({ path, code: 132012, message: 'LOCATION headers are not supported yet' });
    return;
  }
  if (spec === undefined) {
    const wanted =
      slot.kind === 'media' ? `a ${slot.mediaType} {"type":"${slot.mediaType}","link":"…"}` : 'a text value';
    issues.push({ path, code: 132000, message: `template needs ${wanted}` });
    return;
  }
  for (const [subPath, source] of headerSources(spec, slot, issues)) compileOrIssue(source, subPath, issues);
}

function headerSources(spec: HeaderParamSpec, slot: HeaderSlot, issues: ParamIssue[]): Array<[string, string]> {
  const path = 'params.header';
  if (slot.kind === 'media') {
    if (!isMediaParamSpec(spec) || spec.type !== slot.mediaType) {
      issues.push({ path, code: 132012, message: `template needs a ${slot.mediaType} header` });
      return [];
    }
    if (!spec.link && !spec.mediaId)
      issues.push({ path, code: 100, message: 'media header needs a link or a mediaId' });
    return mediaSources(spec).map(([key, source]) => [`${path}.${key}`, source]);
  }
  if (typeof spec === 'string') return [[path, spec]];
  const name = slot.kind === 'text' ? slot.name : '';
  const keys = Object.keys(spec);
  const value = (spec as Record<string, unknown>)[name];
  if (isMediaParamSpec(spec) || keys.length !== 1 || typeof value !== 'string') {
    issues.push({ path, code: 132012, message: `template needs a text header: a string or {"${name}":"…"}` });
    return [];
  }
  return [[path, value]];
}

function mediaSources(spec: MediaParamSpec): Array<[string, string]> {
  const sources: Array<[string, string]> = [];
  if (spec.link) sources.push(['link', spec.link]);
  if (spec.filename) sources.push(['filename', spec.filename]);
  return sources;
}

type BodyEntry = { path: string; name: string; source: string };

/** Body params in send order; structural problems go to `issues`. */
function bodyEntries(
  spec: CampaignParamsSpec['body'],
  template: TemplateDefinition,
  issues: ParamIssue[],
): BodyEntry[] {
  const names = templateSlots(template).body;
  const isNamed = template.parameterFormat === 'NAMED';
  const pathOf = (name: string, i: number) => (isNamed ? `params.body.${name}` : `params.body[${i}]`);
  if (spec === undefined) {
    if (names.length > 0) issues.push(countIssue(names.length, 0));
    return [];
  }
  if (Array.isArray(spec)) {
    if (isNamed) {
      const shape = names.map((n) => `"${n}":"…"`).join(',');
      issues.push({ path: 'params.body', code: 132012, message: `template uses NAMED parameters: give {${shape}}` });
      return [];
    }
    if (spec.length !== names.length) issues.push(countIssue(names.length, spec.length));
    return spec.slice(0, names.length).map((source, i) => ({ path: pathOf('', i), name: names[i]!, source }));
  }
  const record = spec as Record<string, unknown>;
  for (const key of Object.keys(record).filter((k) => !names.includes(k))) {
    const known = names.length > 0 ? names.join(', ') : 'none';
    issues.push({ path: `params.body.${key}`, code: 132012, message: `unknown parameter (template has ${known})` });
  }
  const missing = names.filter((n) => record[n] === undefined);
  if (missing.length > 0) {
    issues.push({ path: 'params.body', code: 132000, message: `missing parameters: ${missing.join(', ')}` });
  }
  return names.flatMap((name, i) => {
    const source = record[name];
    return typeof source === 'string' ? [{ path: pathOf(name, i), name, source }] : [];
  });
}

function countIssue(expected: number, got: number): ParamIssue {
  return { path: 'params.body', code: 132000, message: `template expects ${expected} body parameters, got ${got}` };
}

function checkButtonsSpec(spec: CampaignParamsSpec, slots: ButtonSlot[], issues: ParamIssue[]): void {
  const entries = buttonSpecEntries(spec.buttons);
  for (const [index, source] of entries) {
    const path = `params.buttons[${index}]`;
    if (!slots.some((s) => String(s.index) === index)) {
      issues.push({ path, code: 132000, message: `button ${index} takes no parameter` });
    } else compileOrIssue(source, path, issues);
  }
  for (const slot of slots.filter((s) => s.required)) {
    if (!entries.some(([index]) => index === String(slot.index))) {
      const path = `params.buttons[${slot.index}]`;
      issues.push({ path, code: 132000, message: `${slot.subType} button needs a value` });
    }
  }
}

function compileOrIssue(source: unknown, path: string, issues: ParamIssue[]): void {
  if (typeof source !== 'string') return void issues.push({ path, code: 100, message: 'must be a string' });
  const compiled = tryCompileParam(source);
  if ('error' in compiled) issues.push({ path, code: 100, message: compiled.error });
}

function compile(source: string, path: string): CompiledParam {
  const compiled = tryCompileParam(source);
  if ('error' in compiled) throw new AppError('validation_failed', `${path}: ${compiled.error}`, { field: path });
  return compiled;
}

type HeaderValue = RenderedTemplate['header'];

function compileHeader(
  spec: HeaderParamSpec | undefined,
  slot: HeaderSlot | null,
  isNamed: boolean,
): (c: ParamContact) => RenderResult<HeaderValue> {
  if (!slot || spec === undefined || slot.kind === 'location') return () => ({ ok: true, value: undefined });
  if (slot.kind === 'media' && isMediaParamSpec(spec)) return compileMediaHeader(spec);
  const source = typeof spec === 'string' ? spec : String(Object.values(spec)[0]);
  const param = compile(source, 'params.header');
  // NAMED templates name every text parameter, the header's too (reference/cloud-api.md §1).
  const name = slot.kind === 'text' && isNamed ? slot.name : undefined;
  return (contact) => {
    const value = param.render(contact);
    if (!value.ok) return value;
    return {
      ok: true,
      value: name === undefined ? { type: 'text', text: value.value } : { type: 'text', text: value.value, name },
    };
  };
}

function compileMediaHeader(spec: MediaParamSpec): (c: ParamContact) => RenderResult<HeaderValue> {
  const link = spec.link ? compile(spec.link, 'params.header.link') : undefined;
  const filename = spec.filename ? compile(spec.filename, 'params.header.filename') : undefined;
  return (contact) => {
    const media: TemplateMediaParameter = { type: spec.type };
    if (spec.mediaId) media.mediaId = spec.mediaId;
    for (const [key, param] of [
      ['link', link],
      ['filename', filename],
    ] as const) {
      if (!param) continue;
      const value = param.render(contact);
      if (!value.ok) return value;
      media[key] = value.value;
    }
    return { ok: true, value: media };
  };
}

function compileButtons(spec: CampaignParamsSpec, slots: ButtonSlot[]) {
  return buttonSpecEntries(spec.buttons).map(([index, source]) => {
    const slot = slots.find((s) => String(s.index) === index)!;
    const param = compile(source, `params.buttons[${index}]`);
    const make = (value: string): TemplateButtonParameter =>
      slot.subType === 'url'
        ? { subType: 'url', index: slot.index, text: value }
        : slot.subType === 'copy_code'
          ? { subType: 'copy_code', index: slot.index, couponCode: value }
          : { subType: 'quick_reply', index: slot.index, payload: value };
    return { param, make };
  });
}
