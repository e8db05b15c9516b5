// The one catalogue of Meta error codes: class, meaning and what to do, keyed on the numeric
// `code` only (HTTP status varies 400/429 for the same code, reference/cloud-api.md §2).
import type { SendErrorClass } from '../domain/outbound-message.ts';

/** What Chorus knows about one Meta error code; reports show `explanation` and `action`. */
export interface MetaErrorInfo {
  code: number;
  errorClass: SendErrorClass;
  explanation: string;
  action: string;
}

type Entry = [SendErrorClass, string, string];

// Classes follow the "retry?" column of reference/cloud-api.md §2 and the class comments in
// src/domain/outbound-message.ts.
const CATALOGUE: Record<number, Entry> = {
  0: ['auth_config', 'Meta could not authenticate the access token.', 'Check WA_ACCESS_TOKEN; the sender is paused.'],
  190: [
    'auth_config',
    'The access token has expired or was revoked.',
    'Issue a new system-user token; the sender is paused.',
  ],
  3: [
    'auth_config',
    'The app lacks the capability or permission for this call.',
    'Grant whatsapp_business_messaging to the app.',
  ],
  10: [
    'auth_config',
    'Permission denied, or it was removed.',
    'Grant the token whatsapp_business_messaging for this WABA.',
  ],
  131005: [
    'auth_config',
    'Access denied: the token lacks a needed permission.',
    'Check the token permissions for this number.',
  ],
  4: [
    'throughput',
    "The app's API-call rate limit was reached.",
    'Chorus backs off; the limit resets within the hour.',
  ],
  80007: [
    'throughput',
    "The WhatsApp Business Account's rate limit was reached.",
    'Chorus slows down and retries later.',
  ],
  80008: [
    'throughput',
    'Too many template-management calls for this WABA.',
    'Wait for the rolling hour before syncing again.',
  ],
  // 130429: per-number throughput (80 mps default), reference/cloud-api.md §3.
  130429: [
    'throughput',
    "The phone number's messages-per-second throughput was reached.",
    'Chorus slows the sender; lower WA_MPS if it recurs.',
  ],
  131057: [
    'throughput',
    'The account is in maintenance (e.g. a throughput upgrade, about 1 minute).',
    'Chorus waits about a minute and resumes.',
  ],
  // 131056: pair rate, about 1 message per 6 s to one user, reference/cloud-api.md §3.
  131056: [
    'pair_rate',
    'Too many messages to this recipient in a short time.',
    'Chorus delays this recipient only (4^X s backoff).',
  ],
  131048: [
    'policy_quality',
    'Spam rate limit: earlier messages were blocked or flagged by users.',
    'Campaign paused: review content and audience consent.',
  ],
  131064: [
    'policy_quality',
    'Limit reached for template-classification violations.',
    'Paused until the penalty period ends; review template categories.',
  ],
  368: [
    'policy_quality',
    'The WABA is restricted or disabled for a policy violation.',
    'Sender stopped: check Business Support Home and appeal.',
  ],
  131031: [
    'policy_quality',
    'The business account is locked (policy or failed data check).',
    'Sender stopped: resolve it in Business Manager.',
  ],
  131042: [
    'policy_quality',
    'A payment or billing problem on the account.',
    'Fix the payment method in Business Manager; paid sends stop.',
  ],
  1: ['retryable', 'Invalid request or possible server error.', 'Retried once; if it fails again, check the request.'],
  2: ['retryable', 'Temporary downtime or overload at Meta.', 'Chorus retries with backoff.'],
  131000: ['retryable', 'Unknown error at Meta.', 'Chorus retries with backoff; contact Meta if it persists.'],
  131016: ['retryable', 'The service is temporarily unavailable.', 'Chorus retries with backoff.'],
  33: ['auth_config', 'The business phone number was deleted.', 'Configure a valid WA_PHONE_NUMBER_ID.'],
  131037: [
    'auth_config',
    'The display name of the number is not approved.',
    'Get the display name approved before sending.',
  ],
  131045: [
    'auth_config',
    'The phone number has a registration error.',
    'Register the number with the Cloud API again.',
  ],
  131063: [
    'auth_config',
    'Marketing messages are disabled for this WABA on the Cloud API.',
    'Enable marketing messages for the WABA.',
  ],
  133010: ['auth_config', 'The phone number is not registered on the Cloud API.', 'Register the number, then resume.'],
  130497: [
    'recipient_permanent',
    "The business is barred from messaging users in this recipient's country.",
    'Leave such recipients out of campaigns.',
  ],
  130403: ['recipient_permanent', 'The business has blocked this user.', 'Unblock the user first, or leave them out.'],
  130472: [
    'recipient_permanent',
    "The message was held back by a Meta experiment (not the sender's fault).",
    'Nothing to fix; do not resend now.',
  ],
  131021: [
    'recipient_permanent',
    'The recipient is the sending number itself.',
    'Remove the business number from the audience.',
  ],
  131026: [
    'recipient_permanent',
    'Undeliverable: not on WhatsApp, terms not accepted, or an old client.',
    'Do not retry; check the number.',
  ],
  131047: [
    'recipient_permanent',
    "More than 24 h passed since the user's last message.",
    'Send an approved template instead of free-form text.',
  ],
  // 131049: per-user marketing cap; retrying within 24 h can block delivery, reference/cloud-api.md §3.
  131049: [
    'recipient_permanent',
    "Meta's per-user marketing limit held this message back.",
    'Do not retry for at least 24 hours.',
  ],
  // 131050: user stopped marketing (user_preferences), reference/cloud-api.md §6.
  131050: [
    'recipient_permanent',
    'The user stopped marketing messages from this business.',
    'Never retry; the contact is opted out of marketing.',
  ],
  100: ['template', 'An invalid parameter (including length limits).', 'Fix the template parameters or the request.'],
  131008: ['template', 'A required parameter is missing.', 'Fix the campaign parameters.'],
  131009: ['template', 'A parameter value is invalid.', 'Fix the campaign parameters.'],
  131051: ['template', 'The message type is not supported.', 'Use a supported message type.'],
  131052: ['template', "The user's media could not be downloaded.", 'Ask the user to send the media again.'],
  131053: [
    'template',
    'The media could not be uploaded or fetched (header link or id).',
    'Check the header media URL, type and size.',
  ],
  132000: [
    'template',
    "The parameter count does not match the template's variables.",
    'Re-sync templates and fix the parameter mapping.',
  ],
  132001: [
    'template',
    'The template does not exist in this language or is not approved.',
    'Re-sync templates; pick an approved template and language.',
  ],
  132005: ['template', 'A filled-in text is too long.', 'Shorten the parameter values.'],
  132007: [
    'template',
    'The filled-in content violates WhatsApp policy.',
    'Change the parameter values or the template.',
  ],
  132012: ['template', 'A parameter has the wrong format.', "Match the template's parameter types."],
  132015: [
    'template',
    'The template is paused for low quality.',
    'Wait until it is reinstated, or use another template.',
  ],
  132016: ['template', 'The template is permanently disabled.', 'Create a new template.'],
  135000: ['template', 'Unknown error in the request parameters.', 'Check the parameters against the template.'],
  2388040: ['template', 'A template field exceeds its length limit.', 'Shorten the template text.'],
  2388293: ['template', 'Too many parameters for the length of the template.', 'Add text or remove parameters.'],
  2388299: [
    'template',
    'A parameter sits at the very start or end of the text.',
    'Move the parameter inside the text.',
  ],
  2388019: ['template', 'The WABA has reached its template count limit.', 'Delete unused templates.'],
};

// 200–299: permission errors as a range, reference/cloud-api.md §2.
const PERMISSION_RANGE: Entry = [
  'auth_config',
  'An API permission is missing.',
  'Grant the missing permission to the token.',
];

/** Every code the catalogue names (the 200–299 range excluded). */
export const KNOWN_META_ERROR_CODES: readonly number[] = Object.keys(CATALOGUE).map(Number);

/** What Chorus knows about a Meta error code, or undefined for a code not in reference/cloud-api.md §2. */
export function describeMetaError(code: number): MetaErrorInfo | undefined {
  const entry = CATALOGUE[code] ?? (code >= 200 && code <= 299 ? PERMISSION_RANGE : undefined);
  if (entry === undefined) return undefined;
  return { code, errorClass: entry[0], explanation: entry[1], action: entry[2] };
}

/**
 * The class of an error Meta answered with. Unknown codes: transient or 5xx → retryable,
 * otherwise recipient_permanent (fail this one message, keep the campaign going).
 */
export function classifyMetaError(
  code: number,
  hint: { isTransient?: boolean; httpStatus?: number } = {},
): SendErrorClass {
  const known = CATALOGUE[code];
  if (known !== undefined) return known[0];
  if (code >= 200 && code <= 299) return PERMISSION_RANGE[0];
  if (hint.isTransient === true || (hint.httpStatus ?? 0) >= 500) return 'retryable';
  return 'recipient_permanent';
}
