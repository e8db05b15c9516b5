// A template's components as the recipient will read them, with the sample values the template
// was submitted with in place of its variables (Meta requires samples for every variable).
import type { BubbleContent } from '../../components/WhatsAppBubble.tsx';

/** One component of a template, as the API lists it (Meta's shape). */
export interface TemplateComponent {
  type: string;
  format?: string;
  text?: string;
  buttons?: { type: string; text?: string }[];
  example?: {
    body_text?: string[][];
    header_text?: string[];
    body_text_named_params?: { param_name: string; example: string }[];
    header_text_named_params?: { param_name: string; example: string }[];
  };
}

const VARIABLE = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** The variable names of a text, in order of appearance, each once. */
export function variablesOf(text: string): string[] {
  return [...new Set([...text.matchAll(VARIABLE)].map((match) => match[1] as string))];
}

/** Replaces each `{{name}}` with its sample, or leaves it when there is none. */
export function fillSamples(text: string, samples: Record<string, string>): string {
  return text.replace(VARIABLE, (token, name: string) => samples[name] || token);
}

function samplesOf(component: TemplateComponent | undefined, kind: 'body' | 'header'): Record<string, string> {
  const example = component?.example;
  const samples: Record<string, string> = {};
  const named = kind === 'body' ? example?.body_text_named_params : example?.header_text_named_params;
  for (const param of named ?? []) samples[param.param_name] = param.example;
  const positional = kind === 'body' ? example?.body_text?.[0] : example?.header_text;
  positional?.forEach((value, index) => {
    samples[String(index + 1)] = value;
  });
  return samples;
}

/** The bubble for a template's components: texts filled with their samples, media headers named by kind. */
export function bubbleOf(components: readonly TemplateComponent[]): BubbleContent {
  const find = (type: string) => components.find((c) => c.type === type);
  const header = find('HEADER');
  const body = find('BODY');
  return {
    header:
      header === undefined
        ? null
        : header.format && header.format !== 'TEXT'
          ? `[${header.format.toLowerCase()}]`
          : fillSamples(header.text ?? '', samplesOf(header, 'header')),
    body: fillSamples(body?.text ?? '', samplesOf(body, 'body')),
    footer: find('FOOTER')?.text ?? null,
    buttons: (find('BUTTONS')?.buttons ?? []).flatMap((b) => (b.text ? [b.text] : [])),
  };
}
