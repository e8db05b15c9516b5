import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from './errors.ts';
import type { ParamContact } from './params.ts';
import {
  attributeValue,
  buttonSpecEntries,
  cleanParamText,
  compileParam,
  isMediaParamSpec,
  tryCompileParam,
} from './params.ts';

const ana: ParamContact = {
  phone: '+5511987654321',
  firstName: 'Ana',
  lastName: 'Silva',
  language: 'pt_BR',
  attributes: { code: 'X-42', order: 1234, vip: true, blank: '', nothing: null, 'Order ID': 'A1' },
};
const bare: ParamContact = { phone: '+447700900123' };

function render(source: string, contact: ParamContact = ana) {
  return compileParam(source, 'params.body[0]').render(contact);
}

describe('compileParam: fields', () => {
  it('renders each contact field and attributes', () => {
    expect(render('{{phone}}')).toEqual({ ok: true, value: '+5511987654321' });
    expect(render('{{first_name}}')).toEqual({ ok: true, value: 'Ana' });
    expect(render('{{last_name}}')).toEqual({ ok: true, value: 'Silva' });
    expect(render('{{language}}')).toEqual({ ok: true, value: 'pt_BR' });
    expect(render('{{attr.code}}')).toEqual({ ok: true, value: 'X-42' });
    expect(render('{{attr.order}}')).toEqual({ ok: true, value: '1234' });
    expect(render('{{attr.vip}}')).toEqual({ ok: true, value: 'true' });
  });
  it('tolerates spaces inside the braces', () => {
    expect(render('{{ first_name | friend }}')).toEqual({ ok: true, value: 'Ana' });
  });
  it('sends a literal without braces as it is', () => {
    const p = compileParam('Spring sale', 'x');
    expect(p.isLiteral).toBe(true);
    expect(p.render(bare)).toEqual({ ok: true, value: 'Spring sale' });
  });
  it('renders mixed text and lists the fields used', () => {
    const p = compileParam('Order {{attr.order}} for {{first_name|you}}', 'x');
    expect(p.fields).toEqual(['attr.order', 'first_name']);
    expect(p.isLiteral).toBe(false);
    expect(p.render(ana)).toEqual({ ok: true, value: 'Order 1234 for Ana' });
  });
  it('keeps single braces as literal text', () => {
    expect(render('{a} }} {{first_name}}')).toEqual({ ok: true, value: '{a} }} Ana' });
  });
});

describe('compileParam: fallbacks and missing values', () => {
  it('uses the fallback when the value is missing, null or blank', () => {
    expect(render('{{first_name|there}}', bare)).toEqual({ ok: true, value: 'there' });
    expect(render('{{attr.nothing|n/a}}')).toEqual({ ok: true, value: 'n/a' });
    expect(render('{{attr.blank|n/a}}')).toEqual({ ok: true, value: 'n/a' });
  });
  it('keeps a fallback with spaces inside', () => {
    expect(render('{{first_name|dear customer}}', bare)).toEqual({ ok: true, value: 'dear customer' });
  });
  it('skips with a reason naming the placeholder when there is no fallback', () => {
    expect(render('{{attr.code}}', bare)).toEqual({
      ok: false,
      reason: 'missing value for {{attr.code}} with no fallback',
    });
    expect(render('Hi {{first_name}}', bare)).toEqual({
      ok: false,
      reason: 'missing value for {{first_name}} with no fallback',
    });
  });
  it('skips rather than send an empty parameter', () => {
    const r = render('{{attr.blank|}}');
    expect(r.ok).toBe(false);
  });
});

describe('compileParam: validation at campaign creation', () => {
  it('names the bad param and field', () => {
    expect(() => compileParam('{{atr.code}}', 'params.body[1]')).toThrow('params.body[1]: unknown field "atr.code"');
    try {
      compileParam('{{email}}', 'params.body[0]');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('validation_failed');
      expect((error as AppError).field).toBe('params.body[0]');
    }
  });
  it.each([
    ['{{first_name', 'unclosed'],
    ['{{}}', 'empty placeholder'],
    ['{{attr.}}', 'unknown field'],
    ['{{first_name|{{last_name}}}}', 'nested'],
    ['   ', 'empty value'],
    ['', 'empty value'],
  ])('refuses %j (%s)', (source, message) => {
    const result = tryCompileParam(source);
    expect('error' in result && result.error).toContain(message);
  });
});

describe('cleanParamText', () => {
  it('turns newlines and tabs into spaces, collapses runs of spaces, trims', () => {
    expect(cleanParamText(' a\r\n\tb      c ')).toBe('a b c');
  });
  it('always yields text Meta accepts (no newline, tab, 5 spaces, no outer spaces)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ' ', '\n', '\t', '\r', 'é') }), (s) => {
        const out = cleanParamText(s);
        expect(out).not.toMatch(/[\r\n\t]| {5}/);
        expect(out).toBe(out.trim());
      }),
    );
  });
  it('takes its shortcut only for values the full cleaning would leave as they are', () => {
    const units = fc.constantFrom('a', ' ', '\n', '\t', '\v', '\f', '\u00a0', '\u3000', 'é');
    fc.assert(
      fc.property(fc.string({ unit: units }), (s) => {
        const fully = s
          .replace(/[\r\n\t\v\f]+/g, ' ')
          .replace(/ {2,}/g, ' ')
          .trim();
        expect(cleanParamText(s)).toBe(fully);
      }),
    );
  });
  it('applies to attribute values when rendering', () => {
    const c: ParamContact = { phone: '+1', attributes: { note: 'line one\nline two' } };
    expect(render('{{attr.note}}', c)).toEqual({ ok: true, value: 'line one line two' });
  });
});

describe('rendering matches a reference implementation (property)', () => {
  const names = ['first_name', 'last_name', 'attr.a'] as const;
  const word = fc.string({ unit: fc.constantFrom('x', 'y', 'z', ' '), minLength: 0, maxLength: 4 });
  it('substitutes each placeholder with its value or fallback', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ lit: word, field: fc.constantFrom(...names), fallback: fc.option(word) }), {
          minLength: 1,
        }),
        fc.record({ first: fc.option(word), last: fc.option(word), a: fc.option(word) }),
        (parts, values) => {
          const source = parts
            .map((p) => `${p.lit}{{${p.field}${p.fallback === null ? '' : `|${p.fallback}`}}}`)
            .join('');
          const contact: ParamContact = {
            phone: '+1',
            firstName: values.first,
            lastName: values.last,
            attributes: { a: values.a },
          };
          const valueByField = { first_name: values.first, last_name: values.last, 'attr.a': values.a };
          let expected = '';
          let missing: string | null = null;
          for (const p of parts) {
            const v = cleanParamText(valueByField[p.field] ?? '');
            const chosen = v !== '' ? v : p.fallback === null ? null : p.fallback.trim();
            if (chosen === null) {
              missing ??= p.field;
              continue;
            }
            expected += p.lit + chosen;
          }
          const result = compileParam(source, 'x').render(contact);
          if (missing !== null) {
            expect(result).toEqual({ ok: false, reason: `missing value for {{${missing}}} with no fallback` });
          } else if (cleanParamText(expected) === '') {
            expect(result.ok).toBe(false);
          } else {
            expect(result).toEqual({ ok: true, value: cleanParamText(expected) });
          }
        },
      ),
    );
  });
});

describe('attributeValue', () => {
  it('falls back to a case-insensitive match', () => {
    expect(attributeValue(ana.attributes, 'order id')).toBe('A1');
    expect(attributeValue(ana.attributes, 'missing')).toBeUndefined();
    expect(attributeValue(undefined, 'x')).toBeUndefined();
  });
});

describe('spec helpers', () => {
  it('tells media header specs from text ones', () => {
    expect(isMediaParamSpec({ type: 'image', link: 'https://x/a.jpg' })).toBe(true);
    expect(isMediaParamSpec({ first_name: '{{first_name}}' })).toBe(false);
    expect(isMediaParamSpec('{{first_name}}')).toBe(false);
  });
  it('reads button specs by index from arrays (skipping nulls) and objects', () => {
    expect(buttonSpecEntries([null, 'a', null, 'b'])).toEqual([
      ['1', 'a'],
      ['3', 'b'],
    ]);
    expect(buttonSpecEntries({ '2': 'c' })).toEqual([['2', 'c']]);
    expect(buttonSpecEntries(undefined)).toEqual([]);
  });
});

describe('compiling and rendering hostile text (property)', () => {
  const piece = fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.constantFrom(
      '{{',
      '}}',
      '|',
      '{{first_name',
      '{{attr.',
      '{{ phone }}',
      '{{attr.x|y}}',
      '{{attr.<b>}}',
      '\u0000',
      '\n\t',
    ),
  );
  const source = fc.array(piece, { maxLength: 6 }).map((parts) => parts.join(''));
  const value = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.constantFrom('<script>', "'; --", '', '  ', '\n'),
  );
  const contact = fc.record({
    phone: fc.constant('+4915112345678'),
    firstName: fc.option(value),
    lastName: fc.option(value),
    language: fc.option(value),
    attributes: fc.dictionary(
      fc.oneof(fc.string(), fc.constantFrom('x', '<b>')),
      fc.oneof(value, fc.integer(), fc.boolean(), fc.constant(null)),
    ),
  });

  it('compiles to a renderer or a reason; a renderer answers a sendable value or a skip reason, never throws', () => {
    fc.assert(
      fc.property(source, contact, (text, person) => {
        const compiled = tryCompileParam(text);
        if ('error' in compiled) {
          expect(compiled.error.length).toBeGreaterThan(0);
          return;
        }
        const result = compiled.render(person);
        if (!result.ok) expect(result.reason.length).toBeGreaterThan(0);
        else expect(result.value).toBe(cleanParamText(result.value));
      }),
      { numRuns: 2_000 },
    );
  });
});
