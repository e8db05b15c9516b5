// A template as the recipient will read it: its texts with the rendered parameters filled in, for
// previews (the dashboard's bubble, the dry run's sample) and for content checks.
import type { RenderedTemplate } from './outbound-message.ts';
import {
  bodyParamNames,
  findBody,
  findFooter,
  findHeader,
  type TemplateDefinition,
  templateButtons,
} from './template.ts';

/** The texts a recipient reads. Media headers are named by kind; button labels are as defined. */
export interface MessagePreview {
  header: string | null;
  body: string;
  footer: string | null;
  buttons: string[];
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** Fills a template's texts with one recipient's rendered parameters (or shows `{{name}}` where none). */
export function previewMessage(template: TemplateDefinition, rendered: RenderedTemplate | null): MessagePreview {
  const names = bodyParamNames(template);
  const bodyValues = new Map<string, string>();
  rendered?.body.forEach((param, i) => {
    const name = param.name ?? names[i];
    if (name !== undefined) bodyValues.set(name, param.text);
  });
  const header = findHeader(template);
  const headerParam = rendered?.header;
  const headerText =
    header === undefined
      ? null
      : header.format === 'TEXT'
        ? fill(header.text ?? '', headerParam && 'text' in headerParam ? [headerParam.text] : [], new Map())
        : `[${header.format.toLowerCase()}]`;
  return {
    header: headerText,
    body: fill(findBody(template)?.text ?? '', [], bodyValues),
    footer: findFooter(template)?.text ?? null,
    buttons: templateButtons(template).flatMap((b) => ('text' in b && typeof b.text === 'string' ? [b.text] : [])),
  };
}

function fill(text: string, positional: readonly string[], named: ReadonlyMap<string, string>): string {
  return text.replace(PLACEHOLDER, (token, name: string) => named.get(name) ?? positional[0] ?? token);
}
