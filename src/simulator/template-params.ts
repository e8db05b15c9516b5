// Checks a template send's components against the stored template, in Meta's order:
// count (132000) and format (132012), then values (100), then filled-in lengths (132005).
import { GraphError } from './graph-errors.ts';
import type { SendComponent, SendParameter } from './send-schema.ts';
import { fillText, type TemplateSpec } from './template-spec.ts';

type Param = SendParameter;
type ButtonComponent = Extract<SendComponent, { type: 'button' }>;

// §1: header text ≤60, body ≤1024 once filled in; longer is 132005.
const HEADER_MAX_CHARS = 60;
const BODY_MAX_CHARS = 1024;
// Meta refuses text parameters with new-lines, tabs or more than 4 consecutive spaces.
const BAD_WHITESPACE = /[\n\r\t]| {5,}/;

/** Validates the components of a send against a template spec; throws the GraphError Meta would. */
export function checkTemplateParams(spec: TemplateSpec, components: readonly SendComponent[]): void {
  const header = single(components, 'header');
  const body = single(components, 'body');
  const buttons = components.filter((c): c is ButtonComponent => c.type === 'button');
  checkHeaderShape(spec, header?.parameters ?? []);
  checkBodyShape(spec, body?.parameters ?? []);
  checkButtonsShape(spec, buttons);
  const headerValues = textValues(
    spec.format,
    header?.parameters ?? [],
    spec.header.kind === 'text' ? spec.header.params : [],
  );
  const bodyValues = textValues(spec.format, body?.parameters ?? [], spec.body.params);
  if (
    spec.header.kind === 'text' &&
    filledLength(spec.header.text, headerValues, HEADER_MAX_CHARS) > HEADER_MAX_CHARS
  ) {
    throw new GraphError(
      132005,
      `Header text is longer than ${HEADER_MAX_CHARS} characters once the parameters are filled in.`,
    );
  }
  if (filledLength(spec.body.text, bodyValues, BODY_MAX_CHARS) > BODY_MAX_CHARS) {
    throw new GraphError(
      132005,
      `Body text is longer than ${BODY_MAX_CHARS} characters once the parameters are filled in.`,
    );
  }
}

// The template's length plus every value bounds the filled-in length: fill only when it might matter.
function filledLength(text: string, values: ReadonlyMap<string, string>, maxChars: number): number {
  let bound = text.length;
  for (const value of values.values()) bound += value.length;
  return bound <= maxChars ? bound : fillText(text, values).length;
}

function single<T extends 'header' | 'body'>(components: readonly SendComponent[], type: T) {
  const found = components.filter((c): c is Extract<SendComponent, { type: T }> => c.type === type);
  if (found.length > 1) throw new GraphError(100, `Param template.components has more than one ${type} component.`);
  return found[0];
}

function countMismatch(where: string, expected: number, got: number): GraphError {
  return new GraphError(
    132000,
    `${where}: number of localizable_params (${got}) does not match the expected number of params (${expected})`,
  );
}

function checkHeaderShape(spec: TemplateSpec, params: readonly Param[]): void {
  const header = spec.header;
  const expected = header.kind === 'none' ? 0 : header.kind === 'text' ? header.params.length : 1;
  if (params.length !== expected) throw countMismatch('header', expected, params.length);
  const wanted = header.kind === 'media' ? header.parameterType : header.kind === 'location' ? 'location' : 'text';
  for (const p of params) {
    if (p.type !== wanted)
      throw new GraphError(
        132012,
        `header: parameter of type ${p.type} does not match the template's ${wanted} header`,
      );
  }
  if (header.kind === 'text') checkNames(spec.format, params, header.params, 'header');
}

function checkBodyShape(spec: TemplateSpec, params: readonly Param[]): void {
  if (params.length !== spec.body.params.length) throw countMismatch('body', spec.body.params.length, params.length);
  for (const p of params) {
    if (p.type !== 'text' && p.type !== 'currency' && p.type !== 'date_time') {
      throw new GraphError(132012, `body: parameter of type ${p.type} is not allowed in a body`);
    }
  }
  checkNames(spec.format, params, spec.body.params, 'body');
}

// NAMED templates need parameter_name on every parameter, POSITIONAL ones must not have it (§1).
function checkNames(
  format: TemplateSpec['format'],
  params: readonly Param[],
  names: readonly string[],
  where: string,
): void {
  const seen = new Set<string>();
  for (const p of params) {
    const name = 'parameter_name' in p ? p.parameter_name : undefined;
    if (format === 'POSITIONAL' && name !== undefined) {
      throw new GraphError(132012, `${where}: parameter_name is not allowed in a template with POSITIONAL parameters`);
    }
    if (format === 'NAMED') {
      if (name === undefined)
        throw new GraphError(132012, `${where}: parameter_name is required in a template with NAMED parameters`);
      if (!names.includes(name) || seen.has(name)) {
        throw new GraphError(132000, `${where}: parameter name '${name}' does not match the template's parameters`);
      }
      seen.add(name);
    }
  }
}

function checkButtonsShape(spec: TemplateSpec, buttons: readonly ButtonComponent[]): void {
  const given = new Set<number>();
  for (const b of buttons) {
    const index = Number(b.index);
    const def = spec.buttons[index];
    if (def === undefined || given.has(index))
      throw new GraphError(132000, `button at index ${b.index} does not exist in the template`);
    given.add(index);
    if (def.subType !== b.sub_type) {
      throw new GraphError(132012, `button at index ${b.index} is a ${def.subType} button, not ${b.sub_type}`);
    }
    checkButtonParams(b, def.isParameterRequired);
  }
  spec.buttons.forEach((def, index) => {
    if (def.isParameterRequired && !given.has(index)) throw countMismatch(`button at index ${index}`, 1, 0);
  });
}

function checkButtonParams(b: ButtonComponent, isParameterRequired: boolean): void {
  const wanted = b.sub_type === 'url' ? 'text' : b.sub_type === 'quick_reply' ? 'payload' : 'coupon_code';
  const expected = b.sub_type === 'quick_reply' ? Math.min(b.parameters.length, 1) : isParameterRequired ? 1 : 0;
  if (b.parameters.length !== expected)
    throw countMismatch(`button at index ${b.index}`, expected, b.parameters.length);
  for (const p of b.parameters) {
    if (p.type !== wanted)
      throw new GraphError(132012, `button at index ${b.index}: parameter of type ${p.type}, expected ${wanted}`);
    if (p.type === 'text') checkTextValue(p.text, `button at index ${b.index}`);
  }
}

// The values of a component's parameters by variable name; checks each text value on the way.
function textValues(
  format: TemplateSpec['format'],
  params: readonly Param[],
  names: readonly string[],
): Map<string, string> {
  const values = new Map<string, string>();
  params.forEach((p, i) => {
    const name = format === 'NAMED' && 'parameter_name' in p ? (p.parameter_name as string) : names[i];
    const value =
      p.type === 'text'
        ? p.text
        : p.type === 'currency'
          ? p.currency.fallback_value
          : p.type === 'date_time'
            ? p.date_time.fallback_value
            : '';
    if (p.type === 'text') checkTextValue(value, `parameter ${name ?? i + 1}`);
    if (name !== undefined) values.set(name, value);
  });
  return values;
}

function checkTextValue(text: string, where: string): void {
  if (text.trim() === '') throw new GraphError(100, `Param text cannot be empty (${where}).`);
  if (BAD_WHITESPACE.test(text)) {
    throw new GraphError(
      100,
      `Param text cannot have new-line/tab characters or more than 4 consecutive spaces (${where}).`,
    );
  }
}
