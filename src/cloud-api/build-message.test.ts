import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../domain/errors.ts';
import type { TemplateButtonParameter } from '../domain/outbound-message.ts';
import { buildTemplateMessage } from './build-template-message.ts';
import type { WireBodyComponent, WireButtonComponent } from './wire-send.ts';

const address = { to: '+447700900123', callbackData: 'm-1' };
const textParam = fc.record({
  type: fc.constant('text' as const),
  text: fc.string(),
  name: fc.option(fc.stringMatching(/^[a-z_]{1,12}$/), { nil: undefined }),
});
const button: fc.Arbitrary<TemplateButtonParameter> = fc.oneof(
  fc.record({ subType: fc.constant('url' as const), index: fc.integer({ min: 0, max: 9 }), text: fc.string() }),
  fc.record({
    subType: fc.constant('quick_reply' as const),
    index: fc.integer({ min: 0, max: 9 }),
    payload: fc.string(),
  }),
  fc.record({
    subType: fc.constant('copy_code' as const),
    index: fc.integer({ min: 0, max: 9 }),
    couponCode: fc.string(),
  }),
);

describe('buildTemplateMessage', () => {
  it('property: keeps body order, names and button positions', () => {
    fc.assert(
      fc.property(fc.array(textParam, { maxLength: 8 }), fc.array(button, { maxLength: 4 }), (body, buttons) => {
        const wire = buildTemplateMessage({
          ...address,
          template: { name: 't', languageCode: 'en_US', body, buttons },
        });
        const components = wire.template.components ?? [];
        const wireBody = components.find((c): c is WireBodyComponent => c.type === 'body');
        expect(wireBody?.parameters ?? []).toEqual(
          body.map((p) =>
            p.name === undefined
              ? { type: 'text', text: p.text }
              : { type: 'text', text: p.text, parameter_name: p.name },
          ),
        );
        const wireButtons = components.filter((c): c is WireButtonComponent => c.type === 'button');
        expect(wireButtons.map((b) => [b.sub_type, b.index])).toEqual(buttons.map((b) => [b.subType, String(b.index)]));
        expect(wire.biz_opaque_callback_data).toBe('m-1');
      }),
    );
  });

  it('property: refuses any recipient without a leading +', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9 ()-]{0,16}$/), (to) => {
        expect(() =>
          buildTemplateMessage({
            to,
            callbackData: 'x',
            template: { name: 't', languageCode: 'en', body: [], buttons: [] },
          }),
        ).toThrow(AppError);
      }),
    );
  });

  it('uses the media id over the link, keeps a document filename, and omits empty components', () => {
    const header = { type: 'document' as const, mediaId: '55', link: 'https://x.test/a.pdf', filename: 'a.pdf' };
    const wire = buildTemplateMessage({
      ...address,
      template: { name: 't', languageCode: 'en', header, body: [], buttons: [] },
    });
    expect(wire.template.components).toEqual([
      { type: 'header', parameters: [{ type: 'document', document: { id: '55', filename: 'a.pdf' } }] },
    ]);
    const bare = buildTemplateMessage({
      ...address,
      template: { name: 't', languageCode: 'en', body: [], buttons: [] },
    });
    expect(bare.template).toEqual({ name: 't', language: { code: 'en' } });
  });

  it('refuses callback data over 512 characters and a button index over 9', () => {
    const template = { name: 't', languageCode: 'en', body: [], buttons: [] };
    expect(() => buildTemplateMessage({ to: '+447700900123', callbackData: 'x'.repeat(513), template })).toThrow(
      AppError,
    );
    const buttons = [{ subType: 'url' as const, index: 10, text: 'a' }];
    expect(() => buildTemplateMessage({ ...address, template: { ...template, buttons } })).toThrow(RangeError);
  });
});
