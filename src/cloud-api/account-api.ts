// Reads a sender's account as Meta sees it: the phone number node (its display number, quality
// and throughput level, reference/cloud-api.md §3) and the apps subscribed to the WABA's webhooks
// (GET /{waba-id}/subscribed_apps). Cheap calls for health checks, never on the send path.
import { z } from 'zod';
import { callGraph } from './graph-call.ts';

const PHONE_FIELDS =
  'display_phone_number,verified_name,quality_rating,throughput,whatsapp_business_manager_messaging_limit';

const phoneNumberSchema = z.looseObject({
  id: z.string(),
  display_phone_number: z.string().optional(),
  verified_name: z.string().optional(),
  quality_rating: z.string().optional(),
  throughput: z.looseObject({ level: z.string().optional() }).optional(),
  whatsapp_business_manager_messaging_limit: z.string().optional(),
});

// Meta answers `{whatsapp_business_api_data: {id, name, link}}` per app; the spec's schema lists `{id, name}`.
const appSchema = z.looseObject({ id: z.string().optional(), name: z.string().optional() });
const subscribedAppsSchema = z.looseObject({
  data: z.array(appSchema.extend({ whatsapp_business_api_data: appSchema.optional() })),
});

/** The phone number as Meta describes it. */
export interface PhoneNumberInfo {
  displayPhoneNumber: string | null;
  verifiedName: string | null;
  /** GREEN, YELLOW, RED, or NA/UNKNOWN. */
  qualityRating: string | null;
  /** STANDARD (80 msg/s) or HIGH (1,000 msg/s). */
  throughputLevel: string | null;
  /** TIER_250 … TIER_UNLIMITED. */
  messagingLimitTier: string | null;
}

/** Where the Graph API is and the token to call it with. */
export interface AccountApiOptions {
  graphUrl: string;
  apiVersion: string;
  accessToken: string;
  timeoutMs?: number;
}

/** Reads one sender's phone number and its WABA's webhook subscriptions. */
export class AccountApi {
  readonly #o: AccountApiOptions;
  readonly #base: string;

  constructor(options: AccountApiOptions) {
    this.#o = options;
    this.#base = `${options.graphUrl.replace(/\/+$/, '')}/${options.apiVersion}`;
  }

  /** The phone number node, and the Graph server's clock when it answered (from its Date header). */
  async readPhoneNumber(
    phoneNumberId: string,
    signal: AbortSignal,
  ): Promise<{ info: PhoneNumberInfo; serverDateMs: number | null }> {
    const url = `${this.#base}/${encodeURIComponent(phoneNumberId)}?fields=${PHONE_FIELDS}`;
    const answer = await this.#get('read the phone number', url, signal);
    const node = phoneNumberSchema.parse(answer.json);
    return {
      info: {
        displayPhoneNumber: node.display_phone_number ?? null,
        verifiedName: node.verified_name ?? null,
        qualityRating: node.quality_rating ?? null,
        throughputLevel: node.throughput?.level ?? null,
        messagingLimitTier: node.whatsapp_business_manager_messaging_limit ?? null,
      },
      serverDateMs: answer.serverDateMs,
    };
  }

  /** The apps that receive the WABA's webhooks (names, or ids when Meta gives no name). */
  async listSubscribedApps(businessAccountId: string, signal: AbortSignal): Promise<string[]> {
    const url = `${this.#base}/${encodeURIComponent(businessAccountId)}/subscribed_apps`;
    const { data } = subscribedAppsSchema.parse((await this.#get('list subscribed apps', url, signal)).json);
    return data.map((entry) => {
      const app = entry.whatsapp_business_api_data ?? entry;
      return app.name ?? app.id ?? 'an app';
    });
  }

  #get(what: string, url: string, signal: AbortSignal) {
    return callGraph({
      what,
      method: 'GET',
      url,
      accessToken: this.#o.accessToken,
      signal,
      timeoutMs: this.#o.timeoutMs ?? 10_000,
    });
  }
}
