import { describe, expect, it } from 'vitest';
import { requestExamples } from './openapi-spec.testing.ts';
import type { WebhookEvent } from './webhook-events.ts';
import { parseWebhookBody, parseWebhookPayload, WebhookPayloadError } from './webhook-parser.ts';

const envelope = (field: string, value: unknown, time?: number) => ({
  object: 'whatsapp_business_account',
  entry: [{ id: 'WABA1', ...(time === undefined ? {} : { time }), changes: [{ field, value }] }],
});
const metadata = { display_phone_number: '15550783881', phone_number_id: '106540352242922' };

// reference/cloud-api.md §4, status example.
const statusExample = {
  messaging_product: 'whatsapp',
  metadata,
  statuses: [
    {
      id: 'wamid.S1',
      status: 'failed',
      timestamp: '1750030073',
      recipient_id: '16505551234',
      biz_opaque_callback_data: 'campaign-42:row-7',
      conversation: { id: '72b1', expiration_timestamp: '1750116480', origin: { type: 'marketing' } },
      pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' },
      errors: [{ code: 131049, title: 'T', message: 'M', error_data: { details: 'D' }, href: '/docs' }],
      future_field: 'kept',
    },
  ],
};

describe('parseWebhookPayload: statuses', () => {
  it('reads the reference status example', () => {
    const [event] = parseWebhookPayload(envelope('messages', statusExample));
    expect(event).toMatchObject({
      kind: 'status',
      wabaId: 'WABA1',
      phoneNumberId: '106540352242922',
      wamid: 'wamid.S1',
      status: 'failed',
      timestampMs: 1_750_030_073_000,
      recipientId: '16505551234',
      callbackData: 'campaign-42:row-7',
      pricing: { pricing_model: 'PMP', type: 'regular', category: 'marketing' },
      conversation: { id: '72b1' },
      errors: [{ code: 131049, errorClass: 'recipient_permanent', title: 'T', message: 'M', details: 'D' }],
    });
    expect((event as { raw: { future_field: string } }).raw.future_field).toBe('kept');
  });

  it.each(['sent', 'delivered', 'read', 'played'])(
    'reads status %s without pricing or conversation (v24+)',
    (status) => {
      const value = {
        messaging_product: 'whatsapp',
        metadata,
        statuses: [{ id: 'w', status, timestamp: '5', recipient_id: '1' }],
      };
      const [event] = parseWebhookPayload(envelope('messages', value));
      expect(event).toMatchObject({
        kind: 'status',
        status,
        timestampMs: 5000,
        pricing: null,
        conversation: null,
        errors: [],
      });
    },
  );

  it('keeps a status it cannot read as unknown instead of throwing', () => {
    const value = { metadata, statuses: [{ id: 'w', status: 'deleted', timestamp: '5' }, 'junk', { status: 'sent' }] };
    const events = parseWebhookPayload(envelope('messages', value));
    expect(events.map((e) => e.kind)).toEqual(['unknown', 'unknown', 'unknown']);
  });

  it('refuses a body holding a NUL anywhere, in a value or a key', () => {
    const withNulId = { metadata, statuses: [{ id: 'wamid.\u0000x', status: 'sent', timestamp: '5' }] };
    expect(() => parseWebhookPayload(envelope('messages', withNulId))).toThrow(WebhookPayloadError);
    const withNulKey = { metadata, statuses: [{ id: 'w', status: 'sent', timestamp: '5', 'x\u0000': 1 }] };
    expect(() => parseWebhookPayload(envelope('messages', withNulKey))).toThrow('webhook body holds a NUL character');
  });

  it('finds a NUL in a body as sent (always escaped) and is not fooled by an escaped backslash before u0000', () => {
    const withNul = JSON.stringify(
      envelope('messages', { metadata, statuses: [{ id: 'a\u0000', status: 'sent', timestamp: '5' }] }),
    );
    expect(withNul).toContain('\\u0000');
    expect(() => parseWebhookBody(withNul)).toThrow('webhook body holds a NUL character');
    const lookalike = JSON.stringify(
      envelope('messages', { metadata, statuses: [{ id: 'a\\u0000', status: 'sent', timestamp: '5' }] }),
    );
    expect(lookalike).toContain('\\\\u0000');
    expect(parseWebhookBody(lookalike)).toMatchObject([{ kind: 'status', wamid: 'a\\u0000' }]);
  });

  it('reads system-level value.errors', () => {
    const value = { metadata, errors: [{ code: 131000, title: 'Something went wrong' }] };
    expect(parseWebhookPayload(envelope('messages', value))).toMatchObject([
      { kind: 'system_error', errors: [{ code: 131000, errorClass: 'retryable' }] },
    ]);
  });
});

describe("parseWebhookPayload: the spec's inbound examples", () => {
  const examples = requestExamples('/whatsapp/webhooks', 'post');
  const parsed = (name: string) => {
    const events = parseWebhookPayload(examples[name]);
    expect(events.length, name).toBeGreaterThan(0);
    return events;
  };
  const first = (name: string) => parsed(name)[0] as Extract<WebhookEvent, { kind: 'message' }>;

  it('parses every example without throwing', () => {
    expect(Object.keys(examples).length).toBeGreaterThanOrEqual(16);
    for (const name of Object.keys(examples)) parsed(name);
  });

  it('reads a text message with the sender profile', () => {
    expect(first('Text Message')).toMatchObject({
      kind: 'message',
      type: 'text',
      from: '16505551234',
      profileName: 'Sheena Nelson',
      text: 'Does it come in another color?',
      timestampMs: 1_749_416_383_000,
    });
  });

  it('reads a template quick-reply tap with its context wamid', () => {
    const e = first('Button Message');
    expect(e).toMatchObject({ kind: 'message', type: 'button' });
    expect(e.payload).toEqual(expect.any(String));
    expect(e.contextWamid).toMatch(/^wamid\./);
  });

  it('reads interactive button and list replies', () => {
    expect(first('Interactive Button Reply Message')).toMatchObject({
      type: 'interactive',
      interactiveType: 'button_reply',
    });
    expect(first('Interactive List Reply Message')).toMatchObject({
      type: 'interactive',
      interactiveType: 'list_reply',
    });
    expect(first('Interactive List Reply Message').payload).toEqual(expect.any(String));
  });

  it('returns group events as unknown (fields Chorus does not handle)', () => {
    expect(parsed('Group Create Message').every((e) => e.kind === 'unknown')).toBe(true);
  });
});

describe('parseWebhookPayload: other fields', () => {
  it('reads user_preferences stop (reference/cloud-api.md §6)', () => {
    const value = {
      messaging_product: 'whatsapp',
      metadata,
      contacts: [{ profile: { name: 'A' }, wa_id: '16505551234' }],
      user_preferences: [
        {
          wa_id: '16505551234',
          detail: 'User requested to stop marketing messages',
          category: 'marketing_messages',
          value: 'stop',
          timestamp: 1731705721,
        },
      ],
    };
    expect(parseWebhookPayload(envelope('user_preferences', value))).toMatchObject([
      {
        kind: 'user_preference',
        waId: '16505551234',
        category: 'marketing_messages',
        value: 'stop',
        timestampMs: 1_731_705_721_000,
      },
    ]);
  });

  it('reads a template status update (reference/cloud-api.md §4)', () => {
    const value = {
      event: 'PAUSED',
      message_template_id: 594425479261596,
      message_template_name: 'welcome',
      message_template_language: 'en_US',
      reason: 'NONE',
      message_template_category: 'MARKETING',
      other_info: { title: 'FIRST_PAUSE', description: 'paused for 3 hours' },
    };
    expect(parseWebhookPayload(envelope('message_template_status_update', value, 1_750_000_000))).toMatchObject([
      {
        kind: 'template_status',
        templateId: '594425479261596',
        name: 'welcome',
        language: 'en_US',
        event: 'PAUSED',
        reason: 'NONE',
        category: 'MARKETING',
        timestampMs: 1_750_000_000_000,
      },
    ]);
  });

  it('reads template quality and category updates', () => {
    const ids = { message_template_id: 1, message_template_name: 'n', message_template_language: 'en_US' };
    const q = parseWebhookPayload(
      envelope('message_template_quality_update', {
        ...ids,
        previous_quality_score: 'GREEN',
        new_quality_score: 'RED',
      }),
    );
    expect(q).toMatchObject([{ kind: 'template_quality', previousScore: 'GREEN', newScore: 'RED', templateId: '1' }]);
    const c = parseWebhookPayload(
      envelope('template_category_update', { ...ids, previous_category: 'UTILITY', new_category: 'MARKETING' }),
    );
    expect(c).toMatchObject([{ kind: 'template_category', previousCategory: 'UTILITY', newCategory: 'MARKETING' }]);
  });

  it('reads phone quality, throughput, capability, alerts and account updates', () => {
    const kinds = [
      envelope('phone_number_quality_update', {
        display_phone_number: '1555',
        event: 'THROUGHPUT_UPGRADE',
        current_limit: 'TIER_UNLIMITED',
      }),
      envelope('business_capability_update', { max_daily_conversations_per_business: 2000 }),
      envelope('account_alerts', {
        entity_type: 'WABA',
        alert_info: { alert_type: 'INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED' },
      }),
      envelope('account_update', { event: 'ACCOUNT_VIOLATION' }),
    ].map((p) => parseWebhookPayload(p)[0]);
    expect(kinds).toMatchObject([
      { kind: 'phone_quality', event: 'THROUGHPUT_UPGRADE', currentLimit: 'TIER_UNLIMITED' },
      { kind: 'business_capability', maxDailyConversationsPerBusiness: 2000 },
      { kind: 'account_alert', alertType: 'INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED' },
      { kind: 'account_update', event: 'ACCOUNT_VIOLATION' },
    ]);
  });

  it('returns unknown fields and odd values as unknown, never throwing', () => {
    const payload = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'W',
          changes: [{ field: 'flows', value: { a: 1 } }, { field: 'messages', value: 3 }, null, { value: {} }],
        },
        'junk',
        { id: 'W', changes: [{ field: 'message_template_status_update', value: { event: 'APPROVED' } }] },
      ],
    };
    expect(parseWebhookPayload(payload)).toEqual([
      { kind: 'unknown', field: 'flows', raw: { a: 1 } },
      { kind: 'unknown', field: 'messages', raw: { field: 'messages', value: 3 } },
      { kind: 'unknown', field: '', raw: null },
      { kind: 'unknown', field: '', raw: { value: {} } },
      { kind: 'unknown', field: '', raw: 'junk' },
      { kind: 'unknown', field: 'message_template_status_update', raw: { event: 'APPROVED' } },
    ]);
  });
});

describe('malformed top level', () => {
  it.each([
    ['not JSON', '{"object":'],
    ['an array', '[]'],
    ['another object kind', '{"object":"page","entry":[]}'],
    ['entry not an array', '{"object":"whatsapp_business_account","entry":{}}'],
  ])('throws WebhookPayloadError for %s', (_label, body) => {
    expect(() => parseWebhookBody(body)).toThrow(WebhookPayloadError);
  });

  it('parses raw bytes as well as strings', () => {
    const body = Buffer.from(JSON.stringify(envelope('messages', statusExample)));
    expect(parseWebhookBody(body)[0]?.kind).toBe('status');
  });
});
