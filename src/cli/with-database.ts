import { type Config, loadConfig } from '../config.ts';
import { type Database, openDatabase } from '../store/db.ts';
import { migrateToLatest } from '../store/migrate.ts';

/** Runs a command's work on DATABASE_URL directly (no server needed), migrating first. */
export async function withDatabase<T>(work: (database: Database, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = openDatabase(config.database, { poolSize: 4 });
  try {
    await migrateToLatest(database);
    return await work(database, config);
  } finally {
    await database.close();
  }
}
