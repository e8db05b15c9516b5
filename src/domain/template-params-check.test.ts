import { describe, expect, it } from 'vitest';
import type { RenderedTemplate } from './outbound-message.ts';
import type { TemplateDefinition } from './template.ts';
import { helloWorld, orderUpdate, receipt, springSale } from './template-fixtures.testing.ts';
import { checkRenderedTemplate, describeIssue, filledLength, textValueProblem } from './template-params-check.ts';

const order = (...texts: string[]): RenderedTemplate => ({
  name: 'order_update',
  languageCode: 'en_US',
  body: texts.map((text) => ({ type: 'text', text })),
  buttons: [],
});

const sale = (over: Partial<RenderedTemplate> = {}): RenderedTemplate => ({
  name: 'spring_sale',
  languageCode: 'en_US',
  header: { type: 'text', text: 'Ana', name: 'first_name' },
  body: [
    { type: 'text', text: 'Ana', name: 'first_name' },
    { type: 'text', text: 'X-42', name: 'code' },
  ],
  buttons: [
    { subType: 'url', index: 1, text: 'abc' },
    { subType: 'copy_code', index: 2, couponCode: 'SPRING25' },
  ],
  ...over,
});

const codes = (rendered: RenderedTemplate, template: TemplateDefinition) =>
  checkRenderedTemplate(rendered, template).map((i) => `${i.path}:${i.code}`);

describe('checkRenderedTemplate: a valid template passes', () => {
  it('accepts correct POSITIONAL, NAMED, media and no-parameter templates', () => {
    expect(checkRenderedTemplate(order('Ana', '#1'), orderUpdate)).toEqual([]);
    expect(checkRenderedTemplate(sale(), springSale)).toEqual([]);
    const withImage: RenderedTemplate = {
      name: 'receipt',
      languageCode: 'pt_BR',
      header: { type: 'image', link: 'https://x/a.jpg' },
      body: [{ type: 'text', text: 'R1' }],
      buttons: [],
    };
    expect(checkRenderedTemplate(withImage, receipt)).toEqual([]);
    expect(
      checkRenderedTemplate({ name: 'hello_world', languageCode: 'en_US', body: [], buttons: [] }, helloWorld),
    ).toEqual([]);
  });
  it('accepts NAMED body parameters in any order', () => {
    const body = [...sale().body].reverse();
    expect(checkRenderedTemplate(sale({ body }), springSale)).toEqual([]);
  });
  it('accepts an optional quick-reply payload', () => {
    const buttons = [...sale().buttons, { subType: 'quick_reply' as const, index: 0, payload: 'YES' }];
    expect(checkRenderedTemplate(sale({ buttons }), springSale)).toEqual([]);
  });
});

describe('checkRenderedTemplate: count and format (132000, 132012, 132001)', () => {
  it('flags a wrong body count', () => {
    expect(codes(order('Ana'), orderUpdate)).toEqual(['body:132000']);
    expect(codes(order('Ana', '1', '2'), orderUpdate)).toEqual(['body:132000']);
  });
  it('flags names on a POSITIONAL template and missing or unknown names on a NAMED one', () => {
    const named = order('Ana', '1');
    named.body[0]!.name = 'first_name';
    expect(codes(named, orderUpdate)).toEqual(['body[0]:132012']);
    const body = sale().body.map((p) => ({ ...p, name: undefined }));
    expect(codes(sale({ body }), springSale)).toContain('body[0]:132012');
    const wrong = sale({ body: [sale().body[0]!, { type: 'text', text: 'x', name: 'coupon' }] });
    expect(codes(wrong, springSale)).toEqual(['body[1]:132012', 'body:132000']);
  });
  it('flags the wrong template or language', () => {
    expect(codes({ ...order('a', 'b'), languageCode: 'pt_BR' }, orderUpdate)).toEqual(['template:132001']);
  });
  it('flags a missing, unexpected or mistyped header', () => {
    expect(codes(sale({ header: undefined }), springSale)).toEqual(['header:132000']);
    expect(codes({ ...order('a', 'b'), header: { type: 'text', text: 'x' } }, orderUpdate)).toEqual(['header:132000']);
    const video: RenderedTemplate = {
      name: 'receipt',
      languageCode: 'pt_BR',
      header: { type: 'video', link: 'https://x/a.mp4' },
      body: [{ type: 'text', text: 'R1' }],
      buttons: [],
    };
    expect(codes(video, receipt)).toEqual(['header:132012']);
    expect(codes({ ...video, header: { type: 'image' } }, receipt)).toEqual(['header:100']);
  });
  it('flags missing required buttons, extra ones, duplicates and wrong kinds', () => {
    expect(codes(sale({ buttons: [] }), springSale)).toEqual(['buttons[1]:132000', 'buttons[2]:132000']);
    const extra = [...sale().buttons, { subType: 'url' as const, index: 3, text: 'x' }];
    expect(codes(sale({ buttons: extra }), springSale)).toEqual(['buttons[3]:132000']);
    const wrongKind = [{ subType: 'quick_reply' as const, index: 1, payload: 'x' }, sale().buttons[1]!];
    expect(codes(sale({ buttons: wrongKind }), springSale)).toEqual(['buttons[1]:132012']);
    const dup = [...sale().buttons, sale().buttons[1]!];
    expect(codes(sale({ buttons: dup }), springSale)).toEqual(['buttons[2]:132000']);
  });
});

describe('checkRenderedTemplate: values (100) and lengths (132005)', () => {
  it.each([
    ['', 'empty value'],
    ['a\nb', 'newline'],
    ['a\tb', 'tab'],
    ['a     b', 'more than 4 consecutive spaces'],
  ])('refuses %j', (text, message) => {
    const issues = checkRenderedTemplate(order(text, 'x'), orderUpdate);
    expect(issues.map((i) => i.code)).toEqual([100]);
    expect(describeIssue(issues[0]!)).toContain(message);
  });
  it('allows exactly 4 consecutive spaces', () => {
    expect(textValueProblem('a    b')).toBeNull();
  });
  it('limits the header to 60 characters once filled', () => {
    // "Sale for " is 9 characters: 51 more fit, 52 do not.
    const ok = sale({ header: { type: 'text', text: 'a'.repeat(51), name: 'first_name' } });
    const long = sale({ header: { type: 'text', text: 'a'.repeat(52), name: 'first_name' } });
    expect(codes(ok, springSale)).toEqual([]);
    expect(codes(long, springSale)).toEqual(['header:132005']);
  });
  it('limits the body to 1024 characters once filled', () => {
    const fixed = 'Hi , your order  has shipped.'.length;
    expect(codes(order('a'.repeat(1024 - fixed), 'x'), orderUpdate)).toEqual(['body:132005']);
    expect(codes(order('a'.repeat(1023 - fixed), 'x'), orderUpdate)).toEqual([]);
  });
  it('limits coupons to 20 characters and payloads to 256', () => {
    const coupon = (c: string) =>
      sale({ buttons: [sale().buttons[0]!, { subType: 'copy_code', index: 2, couponCode: c }] });
    expect(codes(coupon('a'.repeat(20)), springSale)).toEqual([]);
    expect(codes(coupon('a'.repeat(21)), springSale)).toEqual(['buttons[2]:132005']);
    const payload = [...sale().buttons, { subType: 'quick_reply' as const, index: 0, payload: 'p'.repeat(257) }];
    expect(codes(sale({ buttons: payload }), springSale)).toEqual(['buttons[0]:132005']);
  });
  it('limits the URL to 2000 characters with the suffix filled in', () => {
    const base = 'https://shop.example/s/'.length;
    const url = (n: number) =>
      sale({ buttons: [{ subType: 'url', index: 1, text: 'a'.repeat(n) }, sale().buttons[1]!] });
    expect(codes(url(2000 - base), springSale)).toEqual([]);
    expect(codes(url(2001 - base), springSale)).toEqual(['buttons[1]:132005']);
  });
});

describe('filledLength', () => {
  it('counts known variables by their values and the rest as written', () => {
    expect(
      filledLength(
        '{{1}} and {{ 2 }} and {{3}}',
        new Map([
          ['1', 'a'],
          ['2', 'b'],
        ]),
      ),
    ).toBe('a and b and {{3}}'.length);
    // The same text again, with other values: only its split is remembered.
    expect(filledLength('{{1}} and {{ 2 }} and {{3}}', new Map([['1', 'abc']]))).toBe(
      'abc and {{ 2 }} and {{3}}'.length,
    );
  });
});
