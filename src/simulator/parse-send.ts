// Turns a send body into a typed request, or the (#100) answer Meta gives, naming the bad field.
import type { z } from 'zod';
import { GraphError } from './graph-errors.ts';
import { MESSAGE_SCHEMAS, markReadSchema, type SendRequest, type SendType } from './send-schema.ts';

/** A parsed body of POST /{phone-number-id}/messages. */
export type ParsedSend = { kind: 'message'; request: SendRequest } | { kind: 'mark-read'; messageId: string };

const TYPES = Object.keys(MESSAGE_SCHEMAS) as SendType[];

/** Parses a send body; throws GraphError 100 with the field at fault. */
export function parseSend(body: unknown): ParsedSend {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new GraphError(100, 'The request body must be a JSON object.');
  }
  const record = body as Record<string, unknown>;
  if (record.status === 'read' && record.to === undefined) {
    const read = checkWith(markReadSchema, record);
    return { kind: 'mark-read', messageId: read.message_id };
  }
  // Meta defaults a missing type to text (messages reference).
  const type = record.type ?? 'text';
  if (typeof type !== 'string' || !TYPES.includes(type as SendType)) {
    throw new GraphError(100, `Param type must be one of {${TYPES.join(', ').toUpperCase()}}`, {
      message: '(#100) Param type is not valid',
    });
  }
  const schema = MESSAGE_SCHEMAS[type as SendType];
  const typed = record.type === undefined ? { ...record, type } : record;
  return { kind: 'message', request: checkWith(schema, typed) as SendRequest };
}

function checkWith<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = formatPath(issue?.path ?? []);
  const isMissing = issue !== undefined && issue.code !== 'custom' && valueAt(value, issue.path) === undefined;
  if (isMissing) {
    throw new GraphError(100, `The parameter ${field} is required.`, {
      message: `(#100) The parameter ${field} is required.`,
    });
  }
  throw new GraphError(100, `Param ${field} is invalid: ${issue?.message ?? 'invalid value'}`);
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** `template.components[0].parameters[1].text`, the way Meta names nested fields. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? 'body' : out;
}
