import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { startChorus } from '../main.ts';
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
        const config = loadConfig(process.env, { forceSandbox: opts.sandbox === true });
        const logger = createLogger(config.logLevel);
        const running = await startChorus(config, logger);
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
