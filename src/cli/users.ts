import type { Command } from 'commander';
import { resetPassword } from '../app/user-passwords.ts';
import { changeUser, createUser, listUsersPage, resolveUserRef, type UserView } from '../app/users.ts';
import type { Role } from '../domain/roles.ts';
import { cliAuditSource } from './audit-cli.ts';
import { parseRole } from './parse-role.ts';
import { type Printer, runCommand } from './printer.ts';
import { withDatabase } from './with-database.ts';

interface AddOpts {
  email: string;
  role: string;
  name?: string;
  password?: string;
  json?: boolean;
}

/** `chorus users add|list|set-role|disable|enable|reset-password`: dashboard users, on DATABASE_URL. */
export function registerUserCommands(program: Command): void {
  const users = program.command('users').description('dashboard users and their roles (viewer, operator, admin)');

  users
    .command('add')
    .description('add a user; without --password one is generated, shown once, and must be changed at first sign-in')
    .requiredOption('--email <email>', 'what they sign in with')
    .option('--role <role>', 'viewer, operator or admin', 'operator')
    .option('--name <name>', 'how the dashboard names them')
    .option('--password <password>', `their password (at least 8 characters)`)
    .option('--json', 'machine output')
    .action((opts: AddOpts) =>
      runCommand(opts, async (printer) => {
        const input = { email: opts.email, role: parseRole(opts.role), name: opts.name, password: opts.password };
        const created = await withDatabase(({ db }) => createUser(db, input, cliAuditSource(), Date.now()));
        printer.result(created, () => [userLine(created.user), ...passwordLines(created.temporary_password)]);
      }),
    );

  users
    .command('list')
    .option('--json', 'machine output')
    .action((opts: { json?: boolean }) =>
      runCommand(opts, async (printer) => {
        const page = await withDatabase(({ db }) => listUsersPage(db, { limit: 1000 }));
        printer.result(page, () => (page.data.length === 0 ? ['no users yet'] : page.data.map(userLine)));
      }),
    );

  users
    .command('set-role <user> <role>')
    .description('change the role of a user (by email or id)')
    .option('--json', 'machine output')
    .action((ref: string, role: string, opts: { json?: boolean }) =>
      runCommand(opts, (printer) => patchUser(printer, ref, { role: parseRole(role) })),
    );

  for (const [command, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    users
      .command(`${command} <user>`)
      .description(
        disabled ? 'stop a user from signing in and end their sessions' : 'let a disabled user sign in again',
      )
      .option('--json', 'machine output')
      .action((ref: string, opts: { json?: boolean }) =>
        runCommand(opts, (printer) => patchUser(printer, ref, { disabled })),
      );
  }

  users
    .command('reset-password <user>')
    .description('set a new password (generated unless given); it must be changed at the next sign-in')
    .option('--password <password>', 'the new password')
    .option('--json', 'machine output')
    .action((ref: string, opts: { password?: string; json?: boolean }) =>
      runCommand(opts, async (printer) => {
        const reset = await withDatabase(async ({ db }) =>
          resetPassword(db, await resolveUserRef(db, ref), opts.password, cliAuditSource(), Date.now()),
        );
        printer.result(reset, () => [userLine(reset.user), ...passwordLines(reset.temporary_password)]);
      }),
    );
}

async function patchUser(printer: Printer, ref: string, patch: { role?: Role; disabled?: boolean }): Promise<void> {
  const user = await withDatabase(async ({ db }) =>
    changeUser(db, await resolveUserRef(db, ref), patch, cliAuditSource(), Date.now()),
  );
  printer.result(user, () => [userLine(user)]);
}

function userLine(u: UserView): string {
  const flags = [u.status === 'disabled' ? 'disabled' : '', u.locked_until ? `locked until ${u.locked_until}` : '']
    .filter(Boolean)
    .join(', ');
  return `#${u.id}\t${u.email}\t${u.role}${u.name ? `\t${u.name}` : ''}${flags ? `\t(${flags})` : ''}`;
}

function passwordLines(temporary: string | null): string[] {
  return temporary === null
    ? []
    : [`temporary password: ${temporary}`, '(shown once; it must be changed at the first sign-in)'];
}
