import { readTotals } from '../../store/metrics-repo.ts';
import type { ChorusApp, HttpDeps } from '../app.ts';

/** GET /metrics in the Prometheus text format: message and campaign totals by status, process memory. */
export function registerMetricsRoute(app: ChorusApp, deps: HttpDeps): void {
  app.get('/metrics', async (c) => {
    const totals = await readTotals(deps.database.db);
    const lines = [
      '# HELP chorus_messages Messages by status (CONTRACT statuses).',
      '# TYPE chorus_messages gauge',
      ...Object.entries(totals.messages).map(([status, n]) => `chorus_messages{status="${status}"} ${n}`),
      '# HELP chorus_campaigns Campaigns by status.',
      '# TYPE chorus_campaigns gauge',
      ...Object.entries(totals.campaigns).map(([status, n]) => `chorus_campaigns{status="${status}"} ${n}`),
      '# HELP chorus_contacts Contacts stored.',
      '# TYPE chorus_contacts gauge',
      `chorus_contacts ${totals.contacts}`,
      '# HELP chorus_suppressions Numbers on the suppression list.',
      '# TYPE chorus_suppressions gauge',
      `chorus_suppressions ${totals.suppressions}`,
      '# HELP process_resident_memory_bytes Resident memory of this process.',
      '# TYPE process_resident_memory_bytes gauge',
      `process_resident_memory_bytes ${process.memoryUsage().rss}`,
    ];
    return c.text(`${lines.join('\n')}\n`, 200, { 'content-type': 'text/plain; version=0.0.4' });
  });
}
