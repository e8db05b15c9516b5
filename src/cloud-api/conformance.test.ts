// The client's request bodies checked against Meta's OpenAPI spec (reference/business-messaging-api_v23.0.yaml).
// Known spec quirks are repaired deliberately in openapi-spec.testing.ts (SPEC_QUIRKS); the first test
// proves each is still in the raw spec, so a fixed spec tells us to drop the repair.
import { describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../domain/outbound-message.ts';
import { buildTemplateMessage } from './build-template-message.ts';
import { createSpecValidator, loadOpenApiSpec, requestExamples, SPEC_QUIRKS } from './openapi-spec.testing.ts';

const validator = createSpecValidator();
const to = '+16505551234';

function template(t: Partial<OutboundMessage['template']>): OutboundMessage {
  return {
    to,
    callbackData: 'msg-42',
    template: { name: 'order_update', languageCode: 'en_US', body: [], buttons: [], ...t },
  };
}

describe('the spec and its quirks', () => {
  it.each(SPEC_QUIRKS.map((q) => [q.name, q] as const))('raw spec still has quirk: %s', (_name, quirk) => {
    const schemas = (loadOpenApiSpec().components as { schemas: Record<string, Record<string, unknown>> }).schemas;
    expect(quirk.isPresent(schemas)).toBe(true);
  });

  it("accepts the spec's own send examples once repaired (sanity check of the validator)", () => {
    const examples = requestExamples('/{Version}/{Phone-Number-ID}/messages', 'post');
    const kinds = ['Send Text Message', 'Send Image Message by URL', 'Send Reply Button', 'Send List Message'];
    for (const name of kinds) expect(validator.errors('Message', examples[name]), name).toEqual([]);
    expect(validator.errors('Message', examples['Send Message Template Text'])).toEqual([]);
  });

  it('refuses bodies the spec forbids (the validator can fail)', () => {
    expect(validator.errors('Message', { messaging_product: 'whatsapp', to, type: 'text' })).not.toEqual([]);
    const bad = buildTemplateMessage(template({ name: 'hello_world' }));
    expect(validator.errors('Message', { ...bad, template: { language: bad.template.language } })).not.toEqual([]);
    expect(validator.errors('Message', { ...bad, template: { ...bad.template, language: 'en_US' } })).not.toEqual([]);
  });
});

describe('client request bodies conform to the spec', () => {
  const cases: [string, unknown][] = [
    ['template without parameters', buildTemplateMessage(template({ name: 'hello_world' }))],
    [
      'positional template with text header, body, url, quick-reply and copy-code buttons',
      buildTemplateMessage(
        template({
          header: { type: 'text', text: 'Order' },
          body: [
            { type: 'text', text: 'Ana' },
            { type: 'text', text: 'A-17' },
          ],
          buttons: [
            { subType: 'url', index: 0, text: 'ord-123' },
            { subType: 'quick_reply', index: 1, payload: 'STOP' },
            { subType: 'copy_code', index: 2, couponCode: '25OFF' },
          ],
        }),
      ),
    ],
    [
      'named template',
      buildTemplateMessage(
        template({
          body: [
            { type: 'text', text: 'Ana', name: 'first_name' },
            { type: 'text', text: 'A-17', name: 'order_id' },
          ],
        }),
      ),
    ],
    [
      'image header by link',
      buildTemplateMessage(template({ header: { type: 'image', link: 'https://x.test/a.jpg' } })),
    ],
    ['video header by id', buildTemplateMessage(template({ header: { type: 'video', mediaId: '1234' } }))],
    ['document header', buildTemplateMessage(template({ header: { type: 'document', link: 'https://x.test/a.pdf' } }))],
  ];

  it.each(cases)('%s', (_name, body) => {
    expect(validator.errors('Message', body)).toEqual([]);
    expect(body).toMatchObject({ biz_opaque_callback_data: 'msg-42', to });
  });
});
