// The simulator's own schema of a send request (reference/cloud-api.md §1): strict enough to catch
// the client's mistakes, shaped after Meta's docs rather than after the client's types.
import { z } from 'zod';

const mediaRef = z
  .object({
    id: z.string().min(1).optional(),
    link: z.url({ protocol: /^https?$/ }).optional(),
    caption: z.string().max(1024).optional(),
    filename: z.string().optional(),
  })
  .refine((m) => (m.id === undefined) !== (m.link === undefined), {
    message: 'exactly one of id or link is required',
    path: ['id'],
  });

const textParameter = z.object({ type: z.literal('text'), text: z.string(), parameter_name: z.string().optional() });
const currencyParameter = z.object({
  type: z.literal('currency'),
  currency: z.object({
    fallback_value: z.string(),
    code: z.string().regex(/^[A-Z]{3}$/),
    amount_1000: z.number().int(),
  }),
  parameter_name: z.string().optional(),
});
const dateTimeParameter = z.object({
  type: z.literal('date_time'),
  date_time: z.object({ fallback_value: z.string() }),
  parameter_name: z.string().optional(),
});

/** Any parameter of a template component; which kinds fit where is checked against the template (132012). */
export const parameterSchema = z.discriminatedUnion('type', [
  textParameter,
  currencyParameter,
  dateTimeParameter,
  z.object({ type: z.literal('image'), image: mediaRef }),
  z.object({ type: z.literal('video'), video: mediaRef }),
  z.object({ type: z.literal('document'), document: mediaRef }),
  z.object({
    type: z.literal('location'),
    location: z.object({
      latitude: z.number(),
      longitude: z.number(),
      name: z.string().optional(),
      address: z.string().optional(),
    }),
  }),
  z.object({ type: z.literal('payload'), payload: z.string() }),
  z.object({ type: z.literal('coupon_code'), coupon_code: z.string().max(15) }),
]);

/** One parameter of a send. */
export type SendParameter = z.infer<typeof parameterSchema>;

const componentSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('header'), parameters: z.array(parameterSchema) }),
  z.object({ type: z.literal('body'), parameters: z.array(parameterSchema) }),
  z.object({
    type: z.literal('button'),
    sub_type: z.enum(['quick_reply', 'url', 'copy_code']),
    // §1: a string "0"–"9"; Meta's own examples also send the number.
    index: z.union([z.string().regex(/^\d$/), z.number().int().min(0).max(9)]).transform(String),
    parameters: z.array(parameterSchema),
  }),
]);

/** One component of a template send. */
export type SendComponent = z.infer<typeof componentSchema>;

const envelope = {
  messaging_product: z.literal('whatsapp'),
  recipient_type: z.enum(['individual', 'group']).optional(),
  to: z.string().min(1),
  context: z.object({ message_id: z.string().min(1) }).optional(),
  // ≤512 chars, echoed on status webhooks (§1).
  biz_opaque_callback_data: z.string().max(512).optional(),
};

const replyButton = z.object({
  type: z.literal('reply'),
  reply: z.object({ id: z.string().min(1).max(256), title: z.string().min(1).max(20) }),
});
const listSection = z.object({
  title: z.string().max(24).optional(),
  rows: z
    .array(
      z.object({
        id: z.string().min(1).max(200),
        title: z.string().min(1).max(24),
        description: z.string().max(72).optional(),
      }),
    )
    .min(1)
    .max(10),
});
const interactiveCommon = {
  header: z
    .union([
      z.object({ type: z.literal('text'), text: z.string().min(1).max(60) }),
      z.object({ type: z.enum(['image', 'video', 'document']) }).loose(),
    ])
    .optional(),
  body: z.object({ text: z.string().min(1).max(1024) }),
  footer: z.object({ text: z.string().min(1).max(60) }).optional(),
};
const interactive = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('button'),
    ...interactiveCommon,
    action: z.object({ buttons: z.array(replyButton).min(1).max(3) }),
  }),
  z.object({
    type: z.literal('list'),
    ...interactiveCommon,
    action: z
      .object({ button: z.string().min(1).max(20), sections: z.array(listSection).min(1).max(10) })
      // §1: 10 rows in total is the safe reading; a title is required once there are several sections.
      .refine((a) => a.sections.reduce((n, s) => n + s.rows.length, 0) <= 10, {
        message: 'at most 10 rows in total',
        path: ['sections'],
      })
      .refine((a) => a.sections.length === 1 || a.sections.every((s) => s.title), {
        message: 'every section needs a title',
        path: ['sections'],
      }),
  }),
]);

/** The schema of each message type (Meta defaults a missing `type` to text). */
export const MESSAGE_SCHEMAS = {
  text: z.object({
    ...envelope,
    type: z.literal('text'),
    text: z.object({ body: z.string().min(1).max(4096), preview_url: z.boolean().optional() }),
  }),
  template: z.object({
    ...envelope,
    type: z.literal('template'),
    template: z.object({
      name: z.string().min(1).max(512),
      language: z.object({ code: z.string().min(2), policy: z.literal('deterministic').optional() }),
      components: z.array(componentSchema).optional(),
    }),
  }),
  image: z.object({ ...envelope, type: z.literal('image'), image: mediaRef }),
  video: z.object({ ...envelope, type: z.literal('video'), video: mediaRef }),
  document: z.object({ ...envelope, type: z.literal('document'), document: mediaRef }),
  audio: z.object({ ...envelope, type: z.literal('audio'), audio: mediaRef }),
  sticker: z.object({ ...envelope, type: z.literal('sticker'), sticker: mediaRef }),
  interactive: z.object({ ...envelope, type: z.literal('interactive'), interactive }),
  reaction: z.object({
    ...envelope,
    type: z.literal('reaction'),
    reaction: z.object({ message_id: z.string().min(1), emoji: z.string() }),
  }),
  location: z.object({
    ...envelope,
    type: z.literal('location'),
    location: z.object({
      latitude: z.number(),
      longitude: z.number(),
      name: z.string().optional(),
      address: z.string().optional(),
    }),
  }),
  contacts: z.object({ ...envelope, type: z.literal('contacts'), contacts: z.array(z.object({}).loose()).min(1) }),
} as const;

/** A message type the send endpoint takes. */
export type SendType = keyof typeof MESSAGE_SCHEMAS;

/** A parsed send request. */
export type SendRequest = z.infer<(typeof MESSAGE_SCHEMAS)[SendType]>;

/** A parsed template send request. */
export type TemplateSendRequest = z.infer<(typeof MESSAGE_SCHEMAS)['template']>;

/** Mark-as-read / typing indicator (§1), answered `{success:true}`. */
export const markReadSchema = z.object({
  messaging_product: z.literal('whatsapp'),
  status: z.literal('read'),
  message_id: z.string().min(1),
  typing_indicator: z.object({ type: z.literal('text') }).optional(),
});
