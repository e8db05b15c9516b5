// POST /{WABA-ID}/message_templates: checks a new template the way Meta's review intake does (§5).
import { z } from 'zod';
import { GraphError } from './graph-errors.ts';
import { formatPath } from './parse-send.ts';
import { variablesOf } from './template-spec.ts';
import type { SimTemplate } from './types.ts';

const buttonSchema = z
  .object({
    type: z.enum([
      'QUICK_REPLY',
      'URL',
      'PHONE_NUMBER',
      'COPY_CODE',
      'OTP',
      'FLOW',
      'MPM',
      'SPM',
      'VOICE_CALL',
      'CATALOG',
    ]),
    text: z.string().max(25).optional(),
    url: z.string().optional(),
    phone_number: z.string().max(20).optional(),
  })
  .loose();

const componentSchema = z
  .object({
    type: z.enum(['HEADER', 'BODY', 'FOOTER', 'BUTTONS']),
    format: z.enum(['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'GIF', 'LOCATION']).optional(),
    text: z.string().optional(),
    buttons: z.array(buttonSchema).max(10).optional(),
    example: z.object({}).loose().optional(),
  })
  .loose();

const createSchema = z.object({
  // §5: lowercase letters, digits and underscores, ≤512 chars.
  name: z.string().regex(/^[a-z0-9_]{1,512}$/),
  category: z.enum(['AUTHENTICATION', 'MARKETING', 'UTILITY']),
  language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/),
  parameter_format: z.enum(['NAMED', 'POSITIONAL']).optional(),
  components: z.array(componentSchema).min(1),
});

/** Parses and checks a creation request; answers the template as PENDING or throws Meta's error. */
export function parseTemplateCreation(body: unknown): SimTemplate {
  const parsed = createSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GraphError(
      100,
      `Param ${formatPath(issue?.path ?? [])} is invalid: ${issue?.message ?? 'invalid value'}`,
    );
  }
  const t = parsed.data;
  const format = t.parameter_format ?? 'POSITIONAL';
  const body_ = t.components.find((c) => c.type === 'BODY');
  if (body_?.text === undefined || body_.text === '')
    throw new GraphError(100, 'A BODY component with text is required.', { subcode: 2388047 });
  if (body_.text.length > 1024)
    throw new GraphError(100, 'Body text is longer than 1024 characters.', { subcode: 2388040 });
  checkVariables(body_.text, format);
  const header = t.components.find((c) => c.type === 'HEADER');
  if (header?.format === 'TEXT') checkHeaderText(header.text ?? '', format);
  const footer = t.components.find((c) => c.type === 'FOOTER');
  if (footer && ((footer.text ?? '').length > 60 || variablesOf(footer.text ?? '').length > 0)) {
    throw new GraphError(100, 'Footer text must be at most 60 characters, without parameters.', { subcode: 2388040 });
  }
  return { ...t, parameter_format: format, status: 'PENDING', components: t.components as SimTemplate['components'] };
}

function checkHeaderText(text: string, format: 'NAMED' | 'POSITIONAL'): void {
  if (text.length === 0 || text.length > 60)
    throw new GraphError(100, 'Header text must be 1–60 characters.', { subcode: 2388040 });
  if (variablesOf(text).length > 1)
    throw new GraphError(100, 'A text header takes at most one parameter.', { subcode: 2388072 });
  checkVariables(text, format);
}

// §5: positional variables count from 1 without gaps; named ones are lower_snake; none at the very start or end.
function checkVariables(text: string, format: 'NAMED' | 'POSITIONAL'): void {
  const names = variablesOf(text);
  if (format === 'POSITIONAL' && names.some((n, i) => n !== String(i + 1))) {
    throw new GraphError(100, 'Positional parameters must be {{1}}, {{2}}… in order.', { subcode: 2388043 });
  }
  if (format === 'NAMED' && names.some((n) => !/^[a-z][a-z0-9_]*$/.test(n))) {
    throw new GraphError(100, 'Named parameters must be lowercase letters, digits and underscores.', {
      subcode: 2388043,
    });
  }
  const trimmed = text.trim();
  if (names.length > 0 && (/^\{\{/.test(trimmed) || /\}\}$/.test(trimmed))) {
    throw new GraphError(100, 'A parameter may not be at the start or end of the text.', { subcode: 2388299 });
  }
}
