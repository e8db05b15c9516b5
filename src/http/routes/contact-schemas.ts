import { z } from '@hono/zod-openapi';

const isoOrNull = z.string().nullable();

/** A contact as the API shows it. */
export const contactSchema = z
  .object({
    phone: z.string(),
    first_name: z.string().nullable(),
    last_name: z.string().nullable(),
    language: z.string().nullable(),
    tags: z.array(z.string()),
    attributes: z.record(z.string(), z.string()),
    consent: z.object({ marketing: isoOrNull, utility: isoOrNull }),
    suppressed: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Contact');

/** The `{phone}` path parameter: E.164, URL-encoded. */
export const phoneParams = z.object({ phone: z.string().openapi({ example: '+4915112345678' }) });

/** One entry of a contact's consent ledger, as the API shows it. */
export const ledgerEntrySchema = z
  .object({
    action: z.string(),
    purpose: z.string(),
    source: z.string(),
    channel: z.string(),
    at: z.string(),
    recorded_at: z.string(),
    proof: z.record(z.string(), z.unknown()),
  })
  .openapi('ConsentEntry');
