import { ApiError } from './client.ts';

/** The part of a Mantine form that shows errors next to fields. */
interface FieldErrors {
  values: object;
  setFieldError(path: string, error: string): void;
}

/**
 * Shows an API error next to the field it names when the form has that field; answers the
 * message to show above the form otherwise (or null when it was placed on a field).
 */
export function placeApiError(
  form: FieldErrors,
  error: unknown,
  fieldNames: Record<string, string> = {},
): string | null {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  const field = error.field === null ? undefined : (fieldNames[error.field] ?? error.field);
  if (field !== undefined && field in form.values) {
    form.setFieldError(field, sentence(error.message.replace(new RegExp(`^${escapeRegExp(error.field ?? '')}: `), '')));
    return null;
  }
  return sentence(error.message);
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
