// The templates sandbox mode seeds: the three the docs promise plus a NAMED one and an image header one.
import type { SimTemplate } from './types.ts';

/** APPROVED en_US templates scripts can rely on in sandbox mode (docs/command-line-and-api.md). */
export const SANDBOX_TEMPLATES: readonly SimTemplate[] = Object.freeze([
  {
    name: 'hello_world',
    language: 'en_US',
    category: 'UTILITY',
    status: 'APPROVED',
    parameter_format: 'POSITIONAL',
    components: [
      { type: 'HEADER', format: 'TEXT', text: 'Hello World' },
      { type: 'BODY', text: 'Welcome and congratulations!! This message comes from the Chorus sandbox.' },
      { type: 'FOOTER', text: 'Chorus sandbox' },
    ],
  },
  {
    name: 'welcome',
    language: 'en_US',
    category: 'MARKETING',
    status: 'APPROVED',
    parameter_format: 'POSITIONAL',
    components: [
      {
        type: 'BODY',
        text: 'Hi {{1}}, welcome to our updates! Reply any time.',
        example: { body_text: [['Jessica']] },
      },
      { type: 'FOOTER', text: 'Not interested? Tap Stop promotions' },
      { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Stop promotions' }] },
    ],
  },
  {
    name: 'order_update',
    language: 'en_US',
    category: 'UTILITY',
    status: 'APPROVED',
    parameter_format: 'POSITIONAL',
    components: [
      {
        type: 'BODY',
        text: 'Your order {{1}} is now {{2}}. Thank you!',
        example: { body_text: [['#1042', 'shipped']] },
      },
    ],
  },
  {
    name: 'appointment_reminder',
    language: 'en_US',
    category: 'UTILITY',
    status: 'APPROVED',
    parameter_format: 'NAMED',
    components: [
      {
        type: 'BODY',
        text: 'Hello {{first_name}}, this is a reminder of your appointment on {{date}}. See you soon.',
        example: {
          body_text_named_params: [
            { param_name: 'first_name', example: 'Jessica' },
            { param_name: 'date', example: 'May 3' },
          ],
        },
      },
    ],
  },
  {
    name: 'seasonal_promo',
    language: 'en_US',
    category: 'MARKETING',
    status: 'APPROVED',
    parameter_format: 'POSITIONAL',
    components: [
      { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['https://example.com/promo.jpg'] } },
      {
        type: 'BODY',
        text: 'Hi {{1}}, our {{2}} sale is on. See you there!',
        example: { body_text: [['Jessica', 'spring']] },
      },
      { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Stop promotions' }] },
    ],
  },
]);
