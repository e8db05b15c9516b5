import type { Kysely, Selectable } from 'kysely';
import type { DB, WebhookSubscriptionsTable } from './schema.ts';

/** An integrator's endpoint as stored (the secret sealed). */
export type WebhookSubscriptionRow = Selectable<WebhookSubscriptionsTable>;

/** Stores a subscription. */
export async function insertWebhookSubscription(db: Kysely<DB>, row: WebhookSubscriptionRow): Promise<void> {
  await db.insertInto('webhook_subscriptions').values(row).execute();
}

/** Every subscription, oldest first: a handful, read whole. */
export function listWebhookSubscriptions(db: Kysely<DB>): Promise<WebhookSubscriptionRow[]> {
  return db.selectFrom('webhook_subscriptions').selectAll().orderBy('created_at').orderBy('id').execute();
}

/** One subscription by id. */
export function getWebhookSubscription(db: Kysely<DB>, id: string): Promise<WebhookSubscriptionRow | undefined> {
  return db.selectFrom('webhook_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Removes a subscription with its deliveries; answers whether it existed. */
export async function deleteWebhookSubscription(db: Kysely<DB>, id: string): Promise<boolean> {
  await db.deleteFrom('webhook_deliveries').where('subscription_id', '=', id).execute();
  const result = await db.deleteFrom('webhook_subscriptions').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
