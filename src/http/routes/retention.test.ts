import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERSON_NOW, seedPerson } from '../../app/person-seed.testing.ts';
import { createTestDatabase, type TestDatabase } from '../../store/testing.ts';
import type { ChorusApp } from '../app.ts';
import { createTestApi, requestAs, requestWithSession, signInAs } from '../testing.ts';
import { ACCESS_ROUTES, seedUser, TEST_PASSWORD } from './access-testing.ts';
import { registerRetentionRoutes } from './retention.ts';

const DAY_MS = 86_400_000;
const LATER = PERSON_NOW + 31 * DAY_MS;

describe('the data retention settings over HTTP', () => {
  let test: TestDatabase;
  let app: ChorusApp;

  beforeAll(async () => {
    test = await createTestDatabase('sqlite');
    await seedPerson(test.database);
    ({ app } = await createTestApi(
      test.database,
      [
        ...ACCESS_ROUTES,
        (a, deps) =>
          registerRetentionRoutes(a, deps, { policy: { payloadDays: 30, bodyDays: undefined }, intervalMs: 300_000 }),
      ],
      LATER,
    ));
  });
  afterAll(async () => test.drop());

  it('shows the policy in force, null where everything is kept', async () => {
    const response = await requestAs(app, 'GET', '/api/v1/settings/retention');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ payload_days: 30, body_days: null, runs_every_minutes: 5 });
  });

  it('purges on demand, answers what it purged and audits the run', async () => {
    const response = await requestAs(app, 'POST', '/api/v1/settings/retention/run');
    expect(response.status).toBe(200);
    const { purged } = (await response.json()) as { purged: Record<string, number> };
    expect(purged.status_event_payloads).toBeGreaterThan(0);
    expect(purged.message_bodies).toBe(0);
    const audit = await test.database.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('action', '=', 'data.retention_run')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(String(audit[0]?.details))).toMatchObject({
      payloadDays: 30,
      status_event_payloads: purged.status_event_payloads,
    });
  });

  it('is for admins only', async () => {
    await seedUser(test.database, 'olga@shop.test', 'operator', LATER);
    const session = await signInAs(app, 'olga@shop.test', TEST_PASSWORD);
    expect((await requestWithSession(app, session, 'GET', '/api/v1/settings/retention')).status).toBe(403);
    expect((await requestWithSession(app, session, 'POST', '/api/v1/settings/retention/run')).status).toBe(403);
  });
});
