import { z } from 'zod';

const graphId = z.string().regex(/^\d{5,20}$/, 'must be the numeric id Meta shows');
const secret = z.string().trim().min(8).max(1_000);
// Meta raises a number to 1,000 msg/s at most (reference/cloud-api.md §3).
const mps = z.number().int().min(1).max(1_000);
const dailyLimit = z.number().int().min(1).max(100_000_000);

/** The body of POST /api/v1/senders; in sandbox mode the number may be left to the simulator. */
export const senderInputSchema = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and dashes, at most 40')
    .optional(),
  name: z.string().trim().min(1).max(100),
  provider: z.literal('cloud-api').default('cloud-api'),
  phone_number_id: graphId.optional(),
  business_account_id: graphId.optional(),
  access_token: secret.optional(),
  app_secret: secret.optional(),
  mps: mps.default(80),
  daily_limit: dailyLimit.default(1_000),
});

/** A parsed POST /api/v1/senders body. */
export type SenderInput = z.infer<typeof senderInputSchema>;

/** The body of PATCH /api/v1/senders/{id}: any of these fields. */
export const senderPatchSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    phone_number_id: graphId,
    business_account_id: graphId,
    access_token: secret,
    app_secret: secret,
    mps,
    daily_limit: dailyLimit,
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'name at least one field to change');

/** A parsed PATCH /api/v1/senders/{id} body. */
export type SenderPatch = z.infer<typeof senderPatchSchema>;
