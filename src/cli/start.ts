import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { type ChorusRole, startChorus } from '../main.ts';
import { keepHeapNearLiveSize } from './heap.ts';
import { exitWithError } from './printer.ts';

/** `chorus start [--sandbox] [--role api|worker|all]`: server, scheduler and dispatcher. */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('run the server, scheduler and dispatcher')
    .option('--sandbox', 'run against the built-in Cloud API simulator')
    .option('--role <role>', 'api, worker or all (several processes need PostgreSQL)', 'all')
    .action(async (opts: { sandbox?: boolean; role: string }) => {
      try {
        keepHeapNearLiveSize();
        const config = loadConfig(process.env, { forceSandbox: opts.sandbox === true });
        const logger = createLogger(config.logLevel);
        if (!['api', 'worker', 'all'].includes(opts.role))
          throw new ConfigError(`--role must be api, worker or all, not ${opts.role}`);
        const running = await startChorus(config, logger, opts.role as ChorusRole);
        const stop = async () => {
          logger.info('shutting down');
          await running.close();
          process.exit(0);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      } catch (error) {
        exitWithError(error, false);
      }
    });
}
