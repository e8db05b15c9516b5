// The simulator's answers and webhooks against Meta's OpenAPI spec (reference/business-messaging-api_v23.0.yaml),
// and its request schema against the client's wire types.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { createSpecValidator, loadOpenApiSpec } from '../cloud-api/openapi-spec.testing.ts';
import type { WireSendRequest } from '../cloud-api/payloads.ts';
import type { MESSAGE_SCHEMAS } from './send-schema.ts';
import { bodyParams, eventually, type Json, startTestSimulator, TEST_IDS, templateSend } from './testing.ts';

type Harness = Awaited<ReturnType<typeof startTestSimulator>>;
let h: Harness;
const spec = createSpecValidator();

beforeAll(async () => {
  h = await startTestSimulator({ isPairRateEnforced: false, undeliverableNumbers: ['447700901499'] });
});
afterAll(() => h.close());

// Inline response schemas of a path (the template endpoints define theirs in place).
function pathSchema(path: string, method: string): (value: unknown) => string[] {
  const paths = loadOpenApiSpec().paths as Json;
  const schema = paths[path][method].responses['200'].content['application/json'].schema;
  const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
  return (value) => (validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
}

describe('answers conform to the spec', () => {
  it('send success is a MessageResponsePayload', async () => {
    const template = await h.send(templateSend('welcome', '+447700901401', [bodyParams('Ann')]));
    const text = await h.send({
      messaging_product: 'whatsapp',
      to: '+447700901401',
      type: 'text',
      text: { body: 'hi' },
    });
    expect(spec.errors('MessageResponsePayload', template.json)).toEqual([]);
    expect(spec.errors('MessageResponsePayload', text.json)).toEqual([]);
  });

  it('every kind of error is a GraphAPIError', async () => {
    const errors = [
      await h.send({}, { token: 'wrong' }),
      await h.send({ messaging_product: 'whatsapp' }),
      await h.send(templateSend('nope', '+447700901402')),
      await h.send(templateSend('welcome', '+447700901402')),
      await h.send(templateSend('welcome', '+447700901402', [bodyParams('a\nb')])),
    ];
    for (const e of errors) {
      expect(e.status).toBeGreaterThanOrEqual(400);
      expect(spec.errors('GraphAPIError', e.json)).toEqual([]);
    }
  });

  it('template list, creation and single read match their inline schemas', async () => {
    const list = await h.get(`/v23.0/${TEST_IDS.businessAccountId}/message_templates?limit=2`);
    expect(pathSchema('/{Version}/{WABA-ID}/message_templates', 'get')(list.json)).toEqual([]);
    const created = await fetch(`${h.sim.url}/v23.0/${TEST_IDS.businessAccountId}/message_templates`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_IDS.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'conformance_one',
        category: 'UTILITY',
        language: 'en_US',
        components: [{ type: 'BODY', text: 'Hello there.' }],
      }),
    }).then((r) => r.json());
    expect(pathSchema('/{Version}/{WABA-ID}/message_templates', 'post')(created)).toEqual([]);
    const one = await h.get(`/v23.0/${list.json.data[0].id}`);
    expect(pathSchema('/{Version}/{TEMPLATE_ID}', 'get')(one.json)).toEqual([]);
  });

  it('the phone number node is a PhoneNumberInfo', async () => {
    const phone = await h.get(
      `/v23.0/${TEST_IDS.phoneNumberId}?fields=throughput,quality_rating,whatsapp_business_manager_messaging_limit`,
    );
    expect(spec.errors('PhoneNumberInfo', phone.json)).toEqual([]);
  });
});

describe('webhooks conform to the spec', () => {
  it('status webhooks (sent, delivered, read, failed) are WebhookPayloads', async () => {
    h.receiver.received.length = 0;
    await h.send(templateSend('welcome', '+447700901403', [bodyParams('Ann')], { biz_opaque_callback_data: 'c-1' }));
    await h.send(templateSend('hello_world', '+447700901499'));
    await eventually(() => h.statuses().length === 4);
    expect(new Set(h.statuses().map((s: Json) => s.status))).toEqual(new Set(['sent', 'delivered', 'read', 'failed']));
    for (const hook of h.receiver.received) expect(spec.errors('WebhookPayload', hook.json)).toEqual([]);
  });

  it('inbound text, button and interactive messages have the spec’s inbound message shapes', async () => {
    h.receiver.received.length = 0;
    h.sim.control.simulateInbound({ from: '+447700901404', type: 'text', text: 'STOP' });
    h.sim.control.simulateInbound({
      from: '+447700901404',
      type: 'button',
      text: 'Stop promotions',
      contextWamid: 'wamid.X',
    });
    h.sim.control.simulateInbound({
      from: '+447700901404',
      type: 'button_reply',
      id: 'y',
      title: 'Yes',
      contextWamid: 'wamid.Y',
    });
    await eventually(() => h.changes('messages').length === 3);
    // The spec's IncomingMessage oneOf points at the *outbound* schemas (which require `to` and
    // `messaging_product`), so no inbound message can match it; check the envelope with an empty
    // message list, and each message against the inbound base plus its own part of the spec.
    const inboundParts: Record<string, string> = {
      text: 'TextMessage_2',
      button: 'ButtonMessage',
      interactive: 'InteractiveMessageReply',
    };
    const raw = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    raw.addSchema({ $id: 'raw', components: (loadOpenApiSpec() as Json).components });
    for (const change of h.changes('messages')) {
      const value = change.value;
      expect(spec.errors('IncomingMessageValueGeneral', { ...value, messages: [] })).toEqual([]);
      const message = value.messages[0];
      expect(spec.errors('BaseMessageProperties_1', message)).toEqual([]);
      const validate = raw.compile({ $ref: `raw#/components/schemas/${inboundParts[message.type]}/allOf/1` });
      expect(validate(message), JSON.stringify(validate.errors)).toBe(true);
    }
  });
});

describe('the client’s wire types', () => {
  it('every request the client can type is a shape the simulator parses', () => {
    type SimulatorInput = z.input<(typeof MESSAGE_SCHEMAS)[keyof typeof MESSAGE_SCHEMAS]>;
    expectTypeOf<WireSendRequest>().toExtend<SimulatorInput>();
  });
});
