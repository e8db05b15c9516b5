import { Command } from 'commander';
import { registerApiKeyCommands } from './apikeys.ts';
import { registerBackupCommands } from './backup.ts';
import { registerCampaignCommands } from './campaigns.ts';
import { registerContactCommands } from './contacts.ts';
import { registerDoctorCommand } from './doctor.ts';
import { registerRetentionCommands } from './retention.ts';
import { registerSenderCommands } from './senders.ts';
import { registerSimulatorCommand } from './simulator.ts';
import { registerStartCommand } from './start.ts';
import { registerTemplateCommands } from './templates.ts';
import { registerUserCommands } from './users.ts';

const program = new Command('chorus')
  .description('Consent-first WhatsApp bulk messaging on the official Cloud API')
  .showHelpAfterError();

registerStartCommand(program);
registerApiKeyCommands(program);
registerContactCommands(program);
registerTemplateCommands(program);
registerCampaignCommands(program);
registerSenderCommands(program);
registerUserCommands(program);
registerRetentionCommands(program);
registerBackupCommands(program);
registerSimulatorCommand(program);
registerDoctorCommand(program);

await program.parseAsync(process.argv);
