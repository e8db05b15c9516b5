import { describe, expect, it } from 'vitest';
import { checkParamsSpec, compileCampaignParams } from './campaign-params.ts';
import { AppError } from './errors.ts';
import type { CampaignParamsSpec, ParamContact } from './params.ts';
import type { TemplateDefinition } from './template.ts';
import { helloWorld, orderUpdate, receipt, springSale, welcome } from './template-fixtures.testing.ts';

const ana: ParamContact = { phone: '+5511987654321', firstName: 'Ana', attributes: { code: 'X-42', slug: 'ana' } };
const bare: ParamContact = { phone: '+447700900123' };

const issues = (spec: CampaignParamsSpec, template: TemplateDefinition) =>
  checkParamsSpec(spec, template).map((i) => `${i.path}:${i.code}:${i.message}`);

describe('compileCampaignParams: rendering', () => {
  it('renders the documented example for a POSITIONAL template', () => {
    const render = compileCampaignParams({ body: ['{{first_name|there}}', '{{attr.code}}'] }, orderUpdate);
    expect(render(ana)).toEqual({
      ok: true,
      value: {
        name: 'order_update',
        languageCode: 'en_US',
        body: [
          { type: 'text', text: 'Ana' },
          { type: 'text', text: 'X-42' },
        ],
        buttons: [],
      },
    });
    expect(render(bare)).toEqual({ ok: false, reason: 'missing value for {{attr.code}} with no fallback' });
  });

  it('renders a NAMED template with header, body and buttons, in the template order', () => {
    const spec: CampaignParamsSpec = {
      header: '{{first_name|friend}}',
      body: { code: '{{attr.code|WELCOME}}', first_name: '{{first_name|friend}}' },
      buttons: [null, '{{attr.slug|home}}', 'SPRING25'],
    };
    const render = compileCampaignParams(spec, springSale);
    const result = render(bare);
    expect(result).toEqual({
      ok: true,
      value: {
        name: 'spring_sale',
        languageCode: 'en_US',
        header: { type: 'text', text: 'friend', name: 'first_name' },
        body: [
          { type: 'text', text: 'friend', name: 'first_name' },
          { type: 'text', text: 'WELCOME', name: 'code' },
        ],
        buttons: [
          { subType: 'url', index: 1, text: 'home' },
          { subType: 'copy_code', index: 2, couponCode: 'SPRING25' },
        ],
      },
    });
  });

  it('names a NAMED header given as an object', () => {
    const spec: CampaignParamsSpec = {
      header: { first_name: '{{first_name}}' },
      body: { first_name: '{{first_name}}', code: 'C' },
      buttons: { '1': 'x', '2': 'y', '0': 'STOP' },
    };
    const result = compileCampaignParams(spec, springSale)(ana);
    expect(result.ok && result.value.header).toEqual({ type: 'text', text: 'Ana', name: 'first_name' });
    expect(result.ok && result.value.buttons).toContainEqual({ subType: 'quick_reply', index: 0, payload: 'STOP' });
  });

  it('renders a media header with a templated link', () => {
    const spec: CampaignParamsSpec = {
      header: { type: 'image', link: 'https://cdn.example/{{attr.slug}}.jpg' },
      body: ['{{attr.code}}'],
    };
    const result = compileCampaignParams(spec, receipt)(ana);
    expect(result.ok && result.value.header).toEqual({ type: 'image', link: 'https://cdn.example/ana.jpg' });
    expect(compileCampaignParams(spec, receipt)({ ...ana, attributes: { code: 'c' } }).ok).toBe(false);
  });

  it('accepts an object keyed "1", "2" for a POSITIONAL template', () => {
    const render = compileCampaignParams({ body: { '2': 'B', '1': 'A' } }, orderUpdate);
    expect(render(bare)).toMatchObject({ ok: true, value: { body: [{ text: 'A' }, { text: 'B' }] } });
  });

  it('skips a contact whose value breaks a Meta limit after filling', () => {
    const render = compileCampaignParams({ body: ['{{attr.code}}', 'x'] }, orderUpdate);
    const result = render({ phone: '+1', attributes: { code: 'y'.repeat(1100) } });
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('body: body is') });
  });

  it('needs no params for a template without parameters', () => {
    expect(compileCampaignParams({}, helloWorld)(bare)).toMatchObject({ ok: true, value: { body: [], buttons: [] } });
  });
});

describe('checkParamsSpec: creation errors', () => {
  it('refuses a wrong body count with the counts', () => {
    expect(issues({ body: ['{{first_name}}'] }, orderUpdate)).toEqual([
      'params.body:132000:template expects 2 body parameters, got 1',
    ]);
    expect(issues({}, welcome)).toEqual(['params.body:132000:template expects 1 body parameters, got 0']);
  });
  it('names the bad param and field', () => {
    expect(issues({ body: ['{{first_name}}', '{{atr.code}}'] }, orderUpdate)).toEqual([
      'params.body[1]:100:unknown field "atr.code" (use phone, first_name, last_name, language or attr.NAME)',
    ]);
  });
  it('refuses an array for a NAMED template and says what shape to use', () => {
    expect(issues({ body: ['a', 'b'], buttons: [null, 'x', 'y'] }, springSale)).toEqual([
      'params.header:132000:template needs a text value',
      'params.body:132012:template uses NAMED parameters: give {"first_name":"…","code":"…"}',
    ]);
  });
  it('refuses unknown and missing NAMED keys', () => {
    const spec: CampaignParamsSpec = { header: 'h', body: { first_name: 'a', coupon: 'b' }, buttons: [null, 'x', 'y'] };
    expect(issues(spec, springSale)).toEqual([
      'params.body.coupon:132012:unknown parameter (template has first_name, code)',
      'params.body:132000:missing parameters: code',
    ]);
  });
  it('refuses header params the template does not take, and media of the wrong kind', () => {
    expect(issues({ header: 'x', body: ['a', 'b'] }, orderUpdate)).toEqual([
      'params.header:132000:template has no header parameter',
    ]);
    expect(issues({ header: { type: 'video', link: 'https://x' }, body: ['a'] }, receipt)).toEqual([
      'params.header:132012:template needs a image header',
    ]);
    expect(issues({ header: { type: 'image' }, body: ['a'] }, receipt)).toEqual([
      'params.header:100:media header needs a link or a mediaId',
    ]);
    expect(issues({ body: ['a'] }, receipt)[0]).toContain('params.header:132000:template needs a image');
  });
  it('refuses missing required buttons and buttons without parameters', () => {
    const spec: CampaignParamsSpec = { header: 'h', body: { first_name: 'a', code: 'b' }, buttons: { '3': 'x' } };
    expect(issues(spec, springSale)).toEqual([
      'params.buttons[3]:132000:button 3 takes no parameter',
      'params.buttons[1]:132000:url button needs a value',
      'params.buttons[2]:132000:copy_code button needs a value',
    ]);
  });
  it('refuses non-string values from JSON', () => {
    expect(issues({ body: [1 as unknown as string, 'b'] }, orderUpdate)).toEqual([
      'params.body[0]:100:must be a string',
    ]);
  });
  it('compileCampaignParams throws one validation error listing every problem', () => {
    try {
      compileCampaignParams({ header: 'x', body: ['{{nope}}'] }, orderUpdate);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('validation_failed');
      expect((error as AppError).field).toBe('params.header');
      expect((error as AppError).message).toContain('params.body: template expects 2 body parameters, got 1');
      expect((error as AppError).message).toContain('params.body[0]: unknown field "nope"');
    }
  });
});
