// One test per kind of malformed send the client could make: the simulator answers Meta's code.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bodyParams, startTestSimulator, templateSend } from './testing.ts';

type Harness = Awaited<ReturnType<typeof startTestSimulator>>;
let h: Harness;
let n = 0;
// A fresh recipient per test keeps the pair rate out of the way.
const to = () => `+44770090${String(++n).padStart(4, '0')}`;

beforeAll(async () => {
  h = await startTestSimulator({ isMpsCapEnforced: false });
});
afterAll(() => h.close());
beforeEach(() => h.sim.control.reset());

async function expectError(body: unknown, code: number, httpStatus: number, details?: RegExp, options = {}) {
  const answer = await h.send(body, options);
  expect(answer.status).toBe(httpStatus);
  expect(answer.json.error.code).toBe(code);
  expect(answer.json.error.message).toMatch(new RegExp(`^\\(#${code}\\) `));
  expect(answer.json.error.type).toBe('OAuthException');
  expect(answer.json.error.error_data.messaging_product).toBe('whatsapp');
  expect(answer.json.error.fbtrace_id).toBe(answer.headers.get('x-fb-trace-id'));
  if (details) expect(answer.json.error.error_data.details).toMatch(details);
  expect(h.sim.control.stats().accepted).toBe(0);
  return answer;
}

const welcome = (name = 'Ann') => templateSend('welcome', to(), [bodyParams(name)]);

describe('authentication and addressing', () => {
  it('refuses a missing token with code 0 and 401', () => expectError(welcome(), 0, 401, undefined, { token: null }));
  it('refuses a wrong token with code 190 and 401', () =>
    expectError(welcome(), 190, 401, undefined, { token: 'nope' }));
  it('refuses an unknown phone number id with 100 / subcode 33', async () => {
    const answer = await expectError(welcome(), 100, 400, /1999/, { phoneNumberId: '1999' });
    expect(answer.json.error.error_subcode).toBe(33);
  });
  it('checks the token before the body', () => expectError({}, 190, 401, undefined, { token: 'nope' }));
  it('answers for any vNN.N version', async () => {
    expect((await h.send(welcome(), { version: 'v19.0' })).status).toBe(200);
    expect((await h.send(welcome(), { version: 'v25.0' })).status).toBe(200);
  });
});

describe('JSON shape (100, naming the field)', () => {
  it('refuses a body that is not JSON', () =>
    expectError(undefined, 100, 400, /not valid JSON/, { raw: '{"messaging_product":' }));
  it('requires messaging_product', () => {
    const { messaging_product: _, ...body } = welcome();
    return expectError(body, 100, 400, /messaging_product is required/);
  });
  it('requires messaging_product to be whatsapp', () =>
    expectError({ ...welcome(), messaging_product: 'sms' }, 100, 400, /messaging_product/));
  it('requires to', () => {
    const { to: _, ...body } = welcome();
    return expectError(body, 100, 400, /The parameter to is required/);
  });
  it('refuses an unknown type', () => expectError({ ...welcome(), type: 'fax' }, 100, 400, /type must be one of/));
  it('requires template.name', () =>
    expectError(
      { messaging_product: 'whatsapp', to: to(), type: 'template', template: { language: { code: 'en_US' } } },
      100,
      400,
      /template\.name/,
    ));
  it('requires template.language.code', () =>
    expectError(
      {
        messaging_product: 'whatsapp',
        to: to(),
        type: 'template',
        template: { name: 'hello_world', language: 'en_US' },
      },
      100,
      400,
      /template\.language/,
    ));
  it('names the bad parameter deep in components', () =>
    expectError(
      templateSend('welcome', to(), [{ type: 'body', parameters: [{ type: 'text', txt: 'Ann' }] }]),
      100,
      400,
      /template\.components\[0\]\.parameters\[0\]\.text/,
    ));
  it('refuses a button index outside 0–9', () =>
    expectError(
      templateSend('welcome', to(), [
        bodyParams('Ann'),
        { type: 'button', sub_type: 'quick_reply', index: '10', parameters: [] },
      ]),
      100,
      400,
      /index/,
    ));
  it('refuses biz_opaque_callback_data over 512 characters', () =>
    expectError({ ...welcome(), biz_opaque_callback_data: 'x'.repeat(513) }, 100, 400, /biz_opaque_callback_data/));
  it('refuses a text body over 4096 characters', () =>
    expectError(
      { messaging_product: 'whatsapp', to: to(), type: 'text', text: { body: 'x'.repeat(4097) } },
      100,
      400,
      /text\.body/,
    ));
  it('refuses media with both id and link', () =>
    expectError(
      { messaging_product: 'whatsapp', to: to(), type: 'image', image: { id: '1', link: 'https://a.example/x.jpg' } },
      100,
      400,
      /image/,
    ));
  it('refuses four reply buttons', () => {
    const buttons = [1, 2, 3, 4].map((i) => ({ type: 'reply', reply: { id: `b${i}`, title: `B${i}` } }));
    return expectError(
      {
        messaging_product: 'whatsapp',
        to: to(),
        type: 'interactive',
        interactive: { type: 'button', body: { text: 'Pick' }, action: { buttons } },
      },
      100,
      400,
      /interactive\.action\.buttons/,
    );
  });
  it('refuses a reply button title over 20 characters', () =>
    expectError(
      {
        messaging_product: 'whatsapp',
        to: to(),
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: 'Pick' },
          action: { buttons: [{ type: 'reply', reply: { id: 'a', title: 'x'.repeat(21) } }] },
        },
      },
      100,
      400,
      /title/,
    ));
  it('refuses a list with more than 10 rows in total', () => {
    const rows = (k: number) => Array.from({ length: 6 }, (_, i) => ({ id: `r${k}${i}`, title: `Row ${i}` }));
    return expectError(
      {
        messaging_product: 'whatsapp',
        to: to(),
        type: 'interactive',
        interactive: {
          type: 'list',
          body: { text: 'Pick' },
          action: {
            button: 'Open',
            sections: [
              { title: 'A', rows: rows(1) },
              { title: 'B', rows: rows(2) },
            ],
          },
        },
      },
      100,
      400,
      /10 rows/,
    );
  });
});

describe('recipient', () => {
  it('refuses a `to` that is not a phone number (131009)', () =>
    expectError(templateSend('hello_world', 'call-me'), 131009, 400, /to/));
  it('refuses a `+` in the middle', () => expectError(templateSend('hello_world', '44+7700900123'), 131009, 400));
  it('accepts Meta’s allowed punctuation and answers the wa_id digits', async () => {
    const answer = await h.send(templateSend('hello_world', '+44 (7700) 900-123'));
    expect(answer.status).toBe(200);
    expect(answer.json.contacts).toEqual([{ input: '+44 (7700) 900-123', wa_id: '447700900123' }]);
  });
});

describe('template existence and status', () => {
  it('refuses an unknown template with 132001 (404 by default)', () =>
    expectError(templateSend('nope', to()), 132001, 404, /nope/));
  it('refuses a known template in another language with 132001', () =>
    expectError(
      { ...templateSend('hello_world', to()), template: { name: 'hello_world', language: { code: 'de' } } },
      132001,
      404,
    ));
  it('refuses a PENDING template with 132001', async () => {
    h.sim.control.setTemplateStatus({ name: 'order_update', language: 'en_US' }, 'PENDING');
    await expectError(templateSend('order_update', to(), [bodyParams('#1', 'shipped')]), 132001, 404);
    h.sim.control.setTemplateStatus({ name: 'order_update', language: 'en_US' }, 'APPROVED');
  });
  it('refuses a PAUSED template with 132015', async () => {
    h.sim.control.setTemplateStatus({ name: 'hello_world' }, 'PAUSED');
    await expectError(templateSend('hello_world', to()), 132015, 400);
    h.sim.control.setTemplateStatus({ name: 'hello_world' }, 'APPROVED');
  });
  it('refuses a DISABLED template with 132016', async () => {
    h.sim.control.setTemplateStatus({ name: 'hello_world' }, 'DISABLED');
    await expectError(templateSend('hello_world', to()), 132016, 400);
    h.sim.control.setTemplateStatus({ name: 'hello_world' }, 'APPROVED');
  });
  it('checks the template before the parameters', () =>
    expectError(templateSend('nope', to(), [bodyParams('', '\n')]), 132001, 404));
});

describe('parameters', () => {
  it('refuses too few body parameters (132000)', () =>
    expectError(templateSend('order_update', to(), [bodyParams('#1')]), 132000, 400, /\(1\).*\(2\)/));
  it('refuses too many body parameters (132000)', () =>
    expectError(templateSend('welcome', to(), [bodyParams('a', 'b')]), 132000, 400));
  it('refuses a missing body component when the body has variables (132000)', () =>
    expectError(templateSend('welcome', to()), 132000, 400));
  it('refuses header parameters for a template without header (132000)', () =>
    expectError(
      templateSend('welcome', to(), [bodyParams('Ann'), { type: 'header', parameters: [{ type: 'text', text: 'x' }] }]),
      132000,
      400,
      /header/,
    ));
  it('refuses parameter_name on a POSITIONAL template (132012)', () =>
    expectError(
      templateSend('welcome', to(), [
        { type: 'body', parameters: [{ type: 'text', text: 'Ann', parameter_name: 'first_name' }] },
      ]),
      132012,
      400,
    ));
  it('requires parameter_name on a NAMED template (132012)', () =>
    expectError(
      templateSend('appointment_reminder', to(), [bodyParams('Ann', 'May 3')]),
      132012,
      400,
      /parameter_name is required/,
    ));
  it('refuses an unknown parameter name (132000)', () =>
    expectError(
      templateSend('appointment_reminder', to(), [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Ann', parameter_name: 'first_name' },
            { type: 'text', text: 'May 3', parameter_name: 'day' },
          ],
        },
      ]),
      132000,
      400,
      /'day'/,
    ));
  it('accepts named parameters in any order', async () => {
    const answer = await h.send(
      templateSend('appointment_reminder', to(), [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'May 3', parameter_name: 'date' },
            { type: 'text', text: 'Ann', parameter_name: 'first_name' },
          ],
        },
      ]),
    );
    expect(answer.status).toBe(200);
    expect(answer.json.messages[0].message_status).toBe('accepted');
  });
  it('refuses a text parameter for an image header (132012)', () =>
    expectError(
      templateSend('seasonal_promo', to(), [
        { type: 'header', parameters: [{ type: 'text', text: 'x' }] },
        bodyParams('Ann', 'spring'),
      ]),
      132012,
      400,
    ));
  it('refuses a missing image header parameter (132000)', () =>
    expectError(templateSend('seasonal_promo', to(), [bodyParams('Ann', 'spring')]), 132000, 400, /header/));
  it('accepts an image header by link', async () => {
    const header = {
      type: 'header',
      parameters: [{ type: 'image', image: { link: 'https://cdn.example.com/p.jpg' } }],
    };
    expect((await h.send(templateSend('seasonal_promo', to(), [header, bodyParams('Ann', 'spring')]))).status).toBe(
      200,
    );
  });
  it('refuses a button index the template lacks (132000)', () =>
    expectError(
      templateSend('welcome', to(), [
        bodyParams('Ann'),
        { type: 'button', sub_type: 'quick_reply', index: '1', parameters: [] },
      ]),
      132000,
      400,
    ));
  it('refuses a text parameter on a quick-reply button (132012)', () =>
    expectError(
      templateSend('welcome', to(), [
        bodyParams('Ann'),
        { type: 'button', sub_type: 'quick_reply', index: 0, parameters: [{ type: 'text', text: 'STOP' }] },
      ]),
      132012,
      400,
    ));
  it('refuses an empty text parameter (100)', () =>
    expectError(templateSend('welcome', to(), [bodyParams('')]), 100, 400, /empty/));
  it('refuses a whitespace-only text parameter (100)', () =>
    expectError(templateSend('welcome', to(), [bodyParams('   ')]), 100, 400, /empty/));
  it('refuses a new-line in a text parameter (100)', () =>
    expectError(templateSend('welcome', to(), [bodyParams('Ann\nSmith')]), 100, 400, /new-line/));
  it('refuses a tab in a text parameter (100)', () =>
    expectError(templateSend('welcome', to(), [bodyParams('Ann\tSmith')]), 100, 400, /new-line\/tab/));
  it('refuses five consecutive spaces (100) but takes four', async () => {
    await expectError(templateSend('welcome', to(), [bodyParams('Ann     Smith')]), 100, 400, /4 consecutive spaces/);
    expect((await h.send(templateSend('welcome', to(), [bodyParams('Ann    Smith')]))).status).toBe(200);
  });
  it('refuses a body over 1024 characters once filled in (132005)', () =>
    expectError(templateSend('welcome', to(), [bodyParams('x'.repeat(1000))]), 132005, 400, /1024/));
  it('takes a body of exactly 1024 characters once filled in', async () => {
    const fixed = 'Hi , welcome to our updates! Reply any time.'.length;
    expect((await h.send(templateSend('welcome', to(), [bodyParams('x'.repeat(1024 - fixed))]))).status).toBe(200);
  });
  it('refuses a header over 60 characters once filled in (132005)', async () => {
    h.sim.control.upsertTemplate({
      name: 'shipping_header',
      language: 'en_US',
      category: 'UTILITY',
      status: 'APPROVED',
      components: [
        { type: 'HEADER', format: 'TEXT', text: 'Order {{1}} shipped' },
        { type: 'BODY', text: 'Thanks for your order.' },
      ],
    });
    const header = (text: string) => ({ type: 'header', parameters: [{ type: 'text', text }] });
    await expectError(templateSend('shipping_header', to(), [header('x'.repeat(50))]), 132005, 400, /Header/);
    expect((await h.send(templateSend('shipping_header', to(), [header('#42')]))).status).toBe(200);
  });
  it('uses currency and date_time fallback values', async () => {
    const body = {
      type: 'body',
      parameters: [
        { type: 'currency', currency: { fallback_value: '$10', code: 'USD', amount_1000: 10000 } },
        { type: 'date_time', date_time: { fallback_value: 'May 3' } },
      ],
    };
    expect((await h.send(templateSend('order_update', to(), [body]))).status).toBe(200);
  });
});

describe('HTTP status per code', () => {
  it('follows behaviour.httpStatusByCode', async () => {
    h.sim.control.setBehaviour({ httpStatusByCode: { '132001': 400 } });
    await expectError(templateSend('nope', to()), 132001, 400);
    h.sim.control.setBehaviour({ httpStatusByCode: { '132001': 404 } });
  });
});

describe('mark as read', () => {
  it('answers {success:true}', async () => {
    const answer = await h.send({ messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.X' });
    expect(answer.json).toEqual({ success: true });
  });
});
