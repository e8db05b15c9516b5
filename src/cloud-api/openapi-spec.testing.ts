// Test helper: loads Meta's OpenAPI spec (reference/business-messaging-api_v23.0.yaml) and validates
// values against its schemas with Ajv (draft 2020-12), after repairing the spec's known quirks
// (reference/README.md). Shared by the client's and the simulator's conformance tests.
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { parse } from 'yaml';

/** Where the spec lives, relative to this file. */
export const SPEC_URL = new URL('../../reference/business-messaging-api_v23.0.yaml', import.meta.url);

type Schema = Record<string, unknown>;
type Schemas = Record<string, Schema>;

/** A known defect of the spec: how to see it and how it is repaired before validating. */
export interface SpecQuirk {
  name: string;
  why: string;
  isPresent(schemas: Schemas): boolean;
  repair(schemas: Schemas): void;
}

const props = (s: Schema | undefined) => (s?.properties ?? {}) as Schemas;
const allOfPart = (s: Schema | undefined, i: number) => (s?.allOf as Schema[] | undefined)?.[i];

/** The quirks repaired before validation; a test asserts each is still present in the raw spec. */
export const SPEC_QUIRKS: readonly SpecQuirk[] = [
  {
    name: 'biz_opaque_callback_data missing',
    why: 'Meta echoes it on status webhooks (reference/cloud-api.md §1); Chorus sends it on every message',
    isPresent: (s) => !('biz_opaque_callback_data' in props(s.BaseMessageProperties)),
    repair: (s) => {
      props(s.BaseMessageProperties).biz_opaque_callback_data = { type: 'string', maxLength: 512 };
    },
  },
  {
    name: 'parameter_name missing',
    why: 'NAMED templates carry parameter_name on every text parameter (reference/cloud-api.md §1)',
    isPresent: (s) => !('parameter_name' in props(allOfPart(s.TextParameter, 1))),
    repair: (s) => {
      props(allOfPart(s.TextParameter, 1)).parameter_name = { type: 'string', pattern: '^[a-z0-9_]+$' };
    },
  },
  {
    name: 'language.policy required',
    why: 'Meta accepts {"code"} alone (reference/cloud-api.md §1); Chorus omits policy',
    isPresent: (s) => ((s.LanguageObject?.required as string[]) ?? []).includes('policy'),
    repair: (s) => {
      (s.LanguageObject as Schema).required = ['code'];
    },
  },
  {
    name: 'bogus button index pattern',
    why: 'index is "0"–"9" (reference/cloud-api.md §1); the pattern ^[2-6, 11-14]$ refuses "0"',
    isPresent: (s) => props(s.TemplateComponent).index?.pattern === '^[2-6, 11-14]$',
    repair: (s) => {
      props(s.TemplateComponent).index = { type: 'string', pattern: '^[0-9]$' };
      props(allOfPart(s.ButtonComponent, 1)).index = { type: 'string', pattern: '^[0-9]$' };
    },
  },
  {
    name: 'copy_code button missing',
    why: 'copy_code buttons take a coupon_code parameter (reference/cloud-api.md §1)',
    isPresent: (s) => !((props(s.TemplateComponent).sub_type?.enum as string[]) ?? []).includes('copy_code'),
    repair: (s) => {
      for (const part of [props(s.TemplateComponent), props(allOfPart(s.ButtonComponent, 1))]) {
        (part.sub_type as Schema).enum = [...((part.sub_type as Schema).enum as string[]), 'copy_code'];
      }
      const type = props(s.ButtonParameterObject).type as Schema;
      type.enum = [...(type.enum as string[]), 'coupon_code'];
      const mapping = (s.ButtonParameterObject!.discriminator as Schema).mapping as Record<string, string>;
      mapping.coupon_code = '#/components/schemas/ButtonCouponCodeParameter';
      s.ButtonCouponCodeParameter = {
        type: 'object',
        required: ['type', 'coupon_code'],
        properties: { type: { const: 'coupon_code' }, coupon_code: { type: 'string', maxLength: 20 } },
      };
    },
  },
];

let cachedSpec: Schema | undefined;

/** The spec as parsed from YAML (cached; treat as read-only). */
export function loadOpenApiSpec(): Schema {
  cachedSpec ??= parse(readFileSync(SPEC_URL, 'utf8')) as Schema;
  return cachedSpec;
}

/** The named examples of an operation's request body, e.g. ('/{Version}/{Phone-Number-ID}/messages', 'post'). */
export function requestExamples(path: string, method: string): Record<string, unknown> {
  const op = ((loadOpenApiSpec().paths as Schemas)[path] as Schemas)[method] as Schema;
  const content = (op.requestBody as Schema).content as Schemas;
  const examples = (content['application/json']?.examples ?? {}) as Record<string, { value: unknown }>;
  return Object.fromEntries(Object.entries(examples).map(([name, e]) => [name, e.value]));
}

/** Validates values against the spec's component schemas, quirks repaired. */
export interface SpecValidator {
  /** Ajv error lines for `value` against `components.schemas[name]`; empty when valid. */
  errors(schemaName: string, value: unknown): string[];
}

/** Builds a validator from a repaired copy of the spec. */
export function createSpecValidator(): SpecValidator {
  const schemas = structuredClone((loadOpenApiSpec().components as Schema).schemas) as Schemas;
  for (const quirk of SPEC_QUIRKS) quirk.repair(schemas);
  const root = { $id: 'spec', components: { schemas: normaliseSchemas(schemas) } };
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema(root);
  const compiled = new Map<string, ValidateFunction>();
  return {
    errors(schemaName, value) {
      let validate = compiled.get(schemaName);
      if (validate === undefined) {
        validate = ajv.compile({ $ref: `spec#/components/schemas/${schemaName}` });
        compiled.set(schemaName, validate);
      }
      if (validate(value)) return [];
      return (validate.errors ?? []).map(
        (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
      );
    },
  };
}

const REF_PREFIX = '#/components/schemas/';

/**
 * Two structural repairs. (1) `allOf: [Base, {additionalProperties:false}]` refuses Base's own fields
 * (the spec's own examples fail it); its intent is `unevaluatedProperties:false` on the whole.
 * (2) Ajv ignores OpenAPI `discriminator` without `oneOf`; a `Base__dispatch` schema picks the
 * mapped subtype by `type`, and references to Base outside an `allOf` point at it.
 */
function normaliseSchemas(schemas: Schemas): Schemas {
  const dispatched = new Set<string>();
  for (const [name, schema] of Object.entries(schemas)) {
    const d = schema.discriminator as { propertyName: string; mapping?: Record<string, string> } | undefined;
    if (d?.mapping === undefined || schema.oneOf !== undefined) continue;
    dispatched.add(name);
    schemas[`${name}__dispatch`] = {
      allOf: [
        { $ref: `${REF_PREFIX}${name}` },
        ...Object.entries(d.mapping).map(([key, ref]) => ({
          if: { properties: { [d.propertyName]: { const: key } }, required: [d.propertyName] },
          // biome-ignore lint/suspicious/noThenProperty: a JSON Schema if/then keyword, not a thenable.
          then: { $ref: ref },
        })),
      ],
    };
  }
  return rewrite(schemas, dispatched, false) as Schemas;
}

function rewrite(node: unknown, dispatched: Set<string>, inAllOf: boolean): unknown {
  if (Array.isArray(node)) return node.map((n) => rewrite(n, dispatched, inAllOf));
  if (typeof node !== 'object' || node === null) return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node as Schema)) {
    out[key] =
      key === 'allOf'
        ? (value as unknown[]).map((n) => rewrite(n, dispatched, true))
        : rewrite(value, dispatched, false);
  }
  const ref = out.$ref;
  if (!inAllOf && typeof ref === 'string' && dispatched.has(ref.slice(REF_PREFIX.length)))
    out.$ref = `${ref}__dispatch`;
  const parts = out.allOf as Schema[] | undefined;
  if (parts?.some((p) => p?.additionalProperties === false)) {
    out.allOf = parts.map(({ additionalProperties: _, ...rest }) => rest);
    out.unevaluatedProperties = false;
  }
  return out;
}
