// What a stored template expects of a send: parameters per component, header kind, buttons.
import type { SimTemplate } from './types.ts';

/** A template header as a send must fill it. */
export type HeaderSpec =
  | { kind: 'none' }
  | { kind: 'text'; text: string; params: string[] }
  | { kind: 'media'; parameterType: 'image' | 'video' | 'document' }
  | { kind: 'location' };

/** A template button as a send may fill it. */
export interface ButtonSpec {
  subType: 'quick_reply' | 'url' | 'copy_code' | 'other';
  text: string;
  /** URL buttons with a `{{1}}` suffix need one text parameter (§5). */
  isParameterRequired: boolean;
}

/** The expectations of one template, computed once when it is stored. */
export interface TemplateSpec {
  format: 'NAMED' | 'POSITIONAL';
  header: HeaderSpec;
  body: { text: string; params: string[] };
  buttons: ButtonSpec[];
}

const VARIABLE = /\{\{\s*([a-z0-9_]+)\s*\}\}/g;

/** The distinct variable names of a text, in order of first use (`1`, `2`… or named). */
export function variablesOf(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(VARIABLE)) {
    const name = match[1] as string;
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** Computes the spec of a template from its components (Meta's list shape). */
export function specOf(template: SimTemplate): TemplateSpec {
  const header = template.components.find((c) => c.type === 'HEADER');
  const body = template.components.find((c) => c.type === 'BODY');
  const buttons = template.components.find((c) => c.type === 'BUTTONS')?.buttons ?? [];
  return {
    format: template.parameter_format ?? 'POSITIONAL',
    header: headerSpec(header?.format, header?.text),
    body: { text: body?.text ?? '', params: variablesOf(body?.text ?? '') },
    buttons: buttons.map((b) => ({
      subType: buttonSubType(b.type),
      text: b.text ?? '',
      isParameterRequired: b.type === 'URL' ? variablesOf(b.url ?? '').length > 0 : b.type === 'COPY_CODE',
    })),
  };
}

function headerSpec(format: string | undefined, text: string | undefined): HeaderSpec {
  if (format === undefined) return { kind: 'none' };
  if (format === 'TEXT') return { kind: 'text', text: text ?? '', params: variablesOf(text ?? '') };
  if (format === 'LOCATION') return { kind: 'location' };
  if (format === 'IMAGE') return { kind: 'media', parameterType: 'image' };
  if (format === 'DOCUMENT') return { kind: 'media', parameterType: 'document' };
  return { kind: 'media', parameterType: 'video' }; // VIDEO and GIF are both sent as video
}

function buttonSubType(type: string): ButtonSpec['subType'] {
  if (type === 'QUICK_REPLY') return 'quick_reply';
  if (type === 'URL') return 'url';
  if (type === 'COPY_CODE') return 'copy_code';
  return 'other';
}

/** Replaces each `{{name}}` with its value. */
export function fillText(text: string, values: ReadonlyMap<string, string>): string {
  return text.replace(VARIABLE, (whole, name: string) => values.get(name) ?? whole);
}
