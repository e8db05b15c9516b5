// The params mini-language (docs/command-line-and-api.md): `{{field}}` or `{{field|fallback}}`,
// field = phone | first_name | last_name | language | attr.NAME; text around placeholders is sent as it is.
// Compiled once per campaign into closures, since the dispatcher renders millions of values.
import { AppError } from './errors.ts';

/** The contact fields a placeholder may name (besides `attr.NAME`). */
export const PARAM_FIELDS = ['phone', 'first_name', 'last_name', 'language'] as const;
/** One of PARAM_FIELDS. */
export type ParamField = (typeof PARAM_FIELDS)[number];

/** A custom attribute value as imported (CSV columns are strings; the API may send numbers or booleans). */
export type AttributeValue = string | number | boolean | null | undefined;

/** What a rendered value may draw on: one contact. */
export interface ParamContact {
  phone: string;
  firstName?: string | null;
  lastName?: string | null;
  language?: string | null;
  attributes?: Readonly<Record<string, AttributeValue>>;
}

/** A value, or why it cannot be rendered for this contact (the message is then `skipped`). */
export type RenderResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** A compiled param string: `render` is called once per contact. */
export interface CompiledParam {
  source: string;
  /** Placeholders used, as written (`attr.code`), for reports and checks. */
  fields: string[];
  /** True when the string has no placeholder: the value is the same for every contact. */
  isLiteral: boolean;
  render(contact: ParamContact): RenderResult<string>;
}

type Getter = (contact: ParamContact) => string | undefined;
type Segment = string | { getter: Getter; fallback: string | undefined; token: string };

const OPEN = '{{';
const CLOSE = '}}';

/** Parses one param string; throws AppError(validation_failed) naming `path` on an unknown field or a stray `{{`. */
export function compileParam(source: string, path: string): CompiledParam {
  const compiled = tryCompileParam(source);
  if ('error' in compiled) throw new AppError('validation_failed', `${path}: ${compiled.error}`, { field: path });
  return compiled;
}

/** Like compileParam, but returns the problem (`unknown field "atr.code" …`) instead of throwing. */
export function tryCompileParam(source: string): CompiledParam | { error: string } {
  try {
    const segments = parseSegments(source);
    if (segments.every((s) => typeof s === 'string') && cleanParamText(source) === '') {
      return { error: 'empty value (Meta refuses empty parameters)' };
    }
    const fields = segments.flatMap((s) => (typeof s === 'string' ? [] : [s.token]));
    return { source, fields, isLiteral: fields.length === 0, render: buildRenderer(segments, source) };
  } catch (error) {
    if (error instanceof ParamSyntaxError) return { error: error.message };
    throw error;
  }
}

class ParamSyntaxError extends Error {}

function parseSegments(source: string): Segment[] {
  const segments: Segment[] = [];
  let at = 0;
  while (at < source.length) {
    const open = source.indexOf(OPEN, at);
    if (open < 0) break;
    const close = source.indexOf(CLOSE, open + OPEN.length);
    if (close < 0) throw new ParamSyntaxError(`unclosed "{{" in "${source}"`);
    if (open > at) segments.push(source.slice(at, open));
    segments.push(parsePlaceholder(source.slice(open + OPEN.length, close)));
    at = close + CLOSE.length;
  }
  if (at < source.length) segments.push(source.slice(at));
  return segments;
}

function parsePlaceholder(inner: string): Segment {
  const bar = inner.indexOf('|');
  const field = (bar < 0 ? inner : inner.slice(0, bar)).trim();
  const fallback = bar < 0 ? undefined : inner.slice(bar + 1).trim();
  if (fallback?.includes('{{')) throw new ParamSyntaxError(`nested "{{" in "{{${inner}}}"`);
  return { getter: fieldGetter(field), fallback, token: field };
}

function fieldGetter(field: string): Getter {
  switch (field) {
    case 'phone':
      return (c) => c.phone;
    case 'first_name':
      return (c) => c.firstName ?? undefined;
    case 'last_name':
      return (c) => c.lastName ?? undefined;
    case 'language':
      return (c) => c.language ?? undefined;
  }
  if (field.startsWith('attr.') && field.length > 'attr.'.length) {
    const name = field.slice('attr.'.length);
    return (c) => attributeValue(c.attributes, name);
  }
  if (field === '') throw new ParamSyntaxError('empty placeholder "{{}}"');
  throw new ParamSyntaxError(`unknown field "${field}" (use phone, first_name, last_name, language or attr.NAME)`);
}

/** An attribute by exact name, else case-insensitively (CSV headers vary in case); blank counts as missing. */
export function attributeValue(
  attributes: Readonly<Record<string, AttributeValue>> | undefined,
  name: string,
): string | undefined {
  if (!attributes) return undefined;
  let value = attributes[name];
  if (value === undefined) {
    const lower = name.toLowerCase();
    const key = Object.keys(attributes).find((k) => k.toLowerCase() === lower);
    value = key === undefined ? undefined : attributes[key];
  }
  return value === null || value === undefined ? undefined : String(value);
}

function buildRenderer(segments: Segment[], source: string): (contact: ParamContact) => RenderResult<string> {
  const only = segments.length === 1 ? segments[0] : undefined;
  if (typeof only === 'string') {
    const value = cleanParamText(only);
    return () => ({ ok: true, value });
  }
  return (contact) => {
    let out = '';
    for (const segment of segments) {
      if (typeof segment === 'string') {
        out += segment;
        continue;
      }
      const value = resolve(segment, contact);
      if (value === undefined) return { ok: false, reason: missingReason(segment.token) };
      out += value;
    }
    const value = cleanParamText(out);
    return value === '' ? { ok: false, reason: `empty value for "${source}"` } : { ok: true, value };
  };
}

function resolve(segment: Exclude<Segment, string>, contact: ParamContact): string | undefined {
  const raw = segment.getter(contact);
  const value = raw === undefined ? '' : cleanParamText(raw);
  if (value !== '') return value;
  return segment.fallback;
}

/** The skip reason for a placeholder with no value and no fallback. */
export function missingReason(token: string): string {
  return `missing value for {{${token}}} with no fallback`;
}

// What cleanParamText changes: a newline, tab or other control space, two spaces in a row, or
// whitespace at either end (`\s` is the set trim() removes).
const NEEDS_CLEANING = /[\r\n\t\v\f]| {2}|^\s|\s$/;

/**
 * Makes a value sendable: Meta refuses newlines, tabs and more than 4 consecutive spaces in text parameters
 * (error 100, reference/cloud-api.md §2), so these become single spaces; ends are trimmed.
 */
export function cleanParamText(value: string): string {
  // Most values are clean already: one test instead of two replaces and a trim per value.
  if (!NEEDS_CLEANING.test(value)) return value;
  return value
    .replace(/[\r\n\t\v\f]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** A media header: a public link or an uploaded media id (`link`/`filename` may hold placeholders). */
export interface MediaParamSpec {
  type: 'image' | 'video' | 'document';
  link?: string;
  mediaId?: string;
  filename?: string;
}

/** A campaign's header param: a param string, a media spec, or `{ name: string }` for a NAMED text header. */
export type HeaderParamSpec = string | MediaParamSpec | Record<string, string>;

/** A campaign's body params: an array for POSITIONAL templates, an object by variable name for NAMED ones. */
export type BodyParamSpec = string[] | Record<string, string>;

/** A campaign's button params by button position (array, `null` for none, or `{ "1": "…" }`). */
export type ButtonParamSpec = Array<string | null> | Record<string, string>;

/** `params` of POST /api/v1/campaigns. */
export interface CampaignParamsSpec {
  header?: HeaderParamSpec;
  body?: BodyParamSpec;
  buttons?: ButtonParamSpec;
}

/** Whether a header spec is a media spec rather than a text one. */
export function isMediaParamSpec(spec: HeaderParamSpec): spec is MediaParamSpec {
  if (typeof spec !== 'object' || spec === null) return false;
  const type = (spec as { type?: unknown }).type;
  return type === 'image' || type === 'video' || type === 'document';
}

/** Button param specs as index → param string (array holes and nulls dropped). */
export function buttonSpecEntries(spec: ButtonParamSpec | undefined): Array<[index: string, source: string]> {
  if (!spec) return [];
  if (Array.isArray(spec)) {
    return spec.flatMap((source, index) =>
      typeof source === 'string' ? [[String(index), source] as [string, string]] : [],
    );
  }
  return Object.entries(spec);
}
