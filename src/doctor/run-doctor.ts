// `chorus doctor`'s checks in order: the database and its disk, each sender against the Graph API,
// webhooks, Meta's clock against ours, and templates. It changes nothing: no migration, no file made.
import type { Config } from '../config.ts';
import { openDatabase } from '../store/db.ts';
import { type CheckResult, fail, skip } from './check.ts';
import { checkDatabase, checkDisk, describeTarget, isMissingSqliteFile } from './database-checks.ts';
import { checkSender, judgeClock } from './sender-checks.ts';
import { planSenders } from './senders-to-check.ts';
import { checkTemplates } from './template-checks.ts';
import { checkWebhooks } from './webhook-checks.ts';

/** Runs every check; `clock` is this machine's (tests shift it to see a skew). */
export async function runDoctor(config: Config, clock: () => number = Date.now): Promise<CheckResult[]> {
  const disk = await checkDisk(config.database);
  if (isMissingSqliteFile(config.database))
    return [
      fail(
        'database',
        `no database at ${describeTarget(config.database)}`,
        'set DATABASE_URL to the database Chorus uses, or start Chorus once (`chorus start`) to make one',
      ),
      disk,
    ];
  const database = openDatabase(config.database, { poolSize: 2 });
  try {
    const stored = await checkDatabase(database, config.database);
    // The rest reads tables an unmigrated database may not have yet.
    if (stored.some((r) => r.status === 'fail' && (r.check === 'database' || r.check === 'migrations')))
      return [...stored, disk];
    const plan = await planSenders(database, config);
    const findings = await Promise.all(plan.toCheck.map((sender) => checkSender(sender, config.graph, clock)));
    const skew = findings.find((f) => f.skewMs !== null)?.skewMs ?? null;
    const clockLine =
      judgeClock(skew) ??
      skip(
        'clock',
        plan.toCheck.length === 0 ? 'no live sender to ask the Graph API the time' : 'no Graph API answered',
      );
    const webhooks = plan.webhooks
      ? await checkWebhooks({ ...plan.webhooks, http: config.http })
      : [
          skip(
            'webhooks',
            'sandbox mode: the simulator inside `chorus start` signs its webhooks with a secret made at each start',
          ),
        ];
    return [
      ...stored,
      disk,
      ...plan.results,
      ...findings.flatMap((f) => f.results),
      ...webhooks,
      clockLine,
      ...(await checkTemplates(database.db, plan.businessAccountIds, clock())),
    ];
  } finally {
    await database.close();
  }
}
