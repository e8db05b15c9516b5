// Templates for tests, shaped like the sandbox seeds in the docs plus a NAMED one with every slot kind.
import type { TemplateDefinition } from './template.ts';

/** UTILITY, no parameters. */
export const helloWorld: TemplateDefinition = {
  name: 'hello_world',
  language: 'en_US',
  status: 'APPROVED',
  category: 'UTILITY',
  parameterFormat: 'POSITIONAL',
  components: [{ type: 'BODY', text: 'Hello World' }],
};

/** MARKETING, body `Hi {{1}}, …`, a "Stop promotions" quick reply. */
export const welcome: TemplateDefinition = {
  name: 'welcome',
  language: 'en_US',
  status: 'APPROVED',
  category: 'MARKETING',
  parameterFormat: 'POSITIONAL',
  components: [
    { type: 'BODY', text: 'Hi {{1}}, welcome to our shop! Enjoy 10% off your first order.' },
    { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Stop promotions' }] },
  ],
};

/** UTILITY, body with `{{1}}` and `{{2}}`. */
export const orderUpdate: TemplateDefinition = {
  name: 'order_update',
  language: 'en_US',
  status: 'APPROVED',
  category: 'UTILITY',
  parameterFormat: 'POSITIONAL',
  components: [{ type: 'BODY', text: 'Hi {{1}}, your order {{2}} has shipped.' }],
};

/** MARKETING, NAMED: text header, two body variables, footer, quick reply, dynamic URL, copy code, phone. */
export const springSale: TemplateDefinition = {
  id: '1234',
  name: 'spring_sale',
  language: 'en_US',
  status: 'APPROVED',
  category: 'MARKETING',
  parameterFormat: 'NAMED',
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Sale for {{first_name}}' },
    { type: 'BODY', text: 'Hello {{first_name}}, use code {{code}} before Sunday.' },
    { type: 'FOOTER', text: 'Reply STOP to unsubscribe' },
    {
      type: 'BUTTONS',
      buttons: [
        { type: 'QUICK_REPLY', text: 'Interested' },
        { type: 'URL', text: 'Shop', url: 'https://shop.example/s/{{1}}' },
        { type: 'COPY_CODE', example: 'SPRING25' },
        { type: 'PHONE_NUMBER', text: 'Call us', phone_number: '+15550001111' },
      ],
    },
  ],
};

/** UTILITY, POSITIONAL, an IMAGE header and a static URL button. */
export const receipt: TemplateDefinition = {
  name: 'receipt',
  language: 'pt_BR',
  status: 'APPROVED',
  category: 'UTILITY',
  parameterFormat: 'POSITIONAL',
  components: [
    { type: 'HEADER', format: 'IMAGE' },
    { type: 'BODY', text: 'Recibo {{1}}' },
    { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Site', url: 'https://shop.example/' }] },
  ],
};
