import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../domain/errors.ts';
import { listApiKeys } from '../store/api-keys-repo.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../store/testing.ts';
import { ApiKeyVerifier, createApiKey, ENV_API_KEY_NAME, seedApiKey } from './api-keys.ts';

describe.each(TEST_BACKENDS)('the API key from CHORUS_API_KEY (%s)', (backend) => {
  let test: TestDatabase;
  let now = 1_790_000_000_000;
  // A fresh verifier each time: the point is what the store says, not what a cache remembers.
  const isAccepted = async (key: string) =>
    (await new ApiKeyVerifier(test.database.db, () => now).verify(key)) !== undefined;
  const seed = (key: string | undefined) => seedApiKey(test.database.db, key, ++now);

  beforeAll(async () => {
    test = await createTestDatabase(backend);
  });
  afterAll(async () => test.drop());

  it('is the same key across restarts while the variable stays the same', async () => {
    const first = await seed('env-key-one');
    const again = await seed('env-key-one');
    expect(again).toEqual({ id: first.id, revokedCount: 0, isRevoked: false });
    expect(await isAccepted('env-key-one')).toBe(true);
  });

  it('replaces the previous one when the variable changes; keys made with `apikeys create` stay', async () => {
    const made = await createApiKey(test.database.db, { name: 'cli', role: 'operator', createdBy: 'cli' }, ++now);
    const changed = await seed('env-key-two');
    expect(await isAccepted('env-key-one')).toBe(false);
    expect(changed).toMatchObject({ revokedCount: 1, isRevoked: false });
    expect(await isAccepted('env-key-two')).toBe(true);
    expect(await isAccepted(made.key)).toBe(true);
  });

  it('is revoked when the variable is unset (the environment is the source of truth for it)', async () => {
    expect(await seed(undefined)).toEqual({ id: undefined, revokedCount: 1, isRevoked: false });
    expect(await isAccepted('env-key-two')).toBe(false);
    const active = (await listApiKeys(test.database.db)).filter((k) => k.revokedAt === null);
    expect(active.map((k) => k.name)).toEqual(['cli']);
  });

  it('never brings a revoked key back: setting it again is reported and refused', async () => {
    const back = await seed('env-key-one');
    expect(back).toMatchObject({ revokedCount: 0, isRevoked: true });
    expect(await isAccepted('env-key-one')).toBe(false);
  });

  it('keeps its name for itself: `apikeys create` refuses it', async () => {
    const refused = await createApiKey(
      test.database.db,
      { name: ENV_API_KEY_NAME, role: 'admin', createdBy: 'cli' },
      now,
    ).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'validation_failed', field: 'name' });
  });
});
