import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

import { newStaffUserSchema } from '../../common/staff-api';
import { parseWith } from '../../common/validation';
import { loadServerConfig } from '../config';
import { HttpError } from '../errors';
import { importCandidates } from '../exams/candidate-import';
import { ExamFileError, loadExamFile } from '../exams/exam-file';
import { ExitCodeError, hashExitCode } from '../exams/exit-code-hash';
import { loadServerKeys } from '../keys';
import { audit, verifyAudit } from '../repositories/audit';
import { findExamByCode, insertExam } from '../repositories/exams';
import { createStaffUser, findStaffByEmail } from '../repositories/staff';
import { exitOnStartError } from '../start-error';

import { backupCommand, restoreCommand } from './backup';
import { abandonHandoverCommand, handoversCommand, retryHandoverCommand } from './handovers';
import {
  addRecipientCommand,
  exportResearchCommand,
  exportSubjectCommand,
  holdCommand,
  holdsCommand,
  releaseHoldCommand,
  retentionCommand,
  gradesFinalCommand,
} from './privacy';
import { updateUserCommand } from './staff';
import { CLI_ACTOR, readPassword, UsageError, withStorage } from './support';

const USAGE = `Usage: vakt-server <command> [options]

Commands:
  serve                                   run the exam server (configured by environment variables)
  migrate                                 bring the database schema up to date
  create-user --email E --name N --role admin|invigilator
                                          create a staff account; the password is read from stdin
  update-user --email E [--role admin|invigilator] [--disable | --enable] [--sign-out]
              [--reset-password]          fix a staff account: a disabled one cannot sign in and
                                          its sessions end at once; --reset-password reads the
                                          new password from stdin (and signs it out everywhere)
  create-exam <file.json>                 import an exam from its JSON file
  import-candidates <EXAM-CODE> <file.csv>
                                          import candidates: candidate_number,name,personal_code[,extra_minutes]
  exit-code-hash                          hash an exit code (read from stdin) for an exam's policy
  show-keys                               print the public keys IT pins in the client
  verify-audit                            check the audit log's hash chain; prints its head hash
  backup <folder>                         SQLite: the database (consistent while serving) and the
                                          server's keys into a new folder (docs/operations.md)
  restore <folder>                        SQLite: a backup into an empty VAKT_DATA_DIR, checked,
                                          migrated, and the audit chain verified
  retention [--dry-run]                   delete candidates' data past their exam's retention date
                                          (--dry-run: only say what would go)
  hold --exam CODE [--candidate NUMBER] --reason TEXT --review YYYY-MM-DD
                                          keep an exam's (or one candidate's) data past its date
  grades-final --exam CODE                the exam's grades are final: its raw monitoring events go
                                          at the next retention run, unless a legal hold keeps them
  holds                                   list legal holds, open ones first
  release-hold ID                         release a legal hold
  handovers                               list hand-overs not yet delivered (id, candidate, exam),
                                          given-up ones first
  retry-handover ID                       send a hand-over again (three more days before giving up)
  abandon-handover ID --reason TEXT       never send it (delivered another way); retention goes on
  export-subject --exam CODE --candidate NUMBER
                                          print everything held about one candidate (JSON)
  add-recipient --name NAME --dpa REFERENCE
                                          register who may receive research exports
  export-research --exam CODE --recipient ID --out FILE [--k 5] [--key-file F] [--free-text]
                                          pseudonymised item-level results (CSV) for a recipient

Configuration: HOST, PORT, VAKT_DATA_DIR, DATABASE_URL, VAKT_DATABASE_SCHEMA, VAKT_PUBLIC_URL,
VAKT_SCHOOL_YEAR_END, VAKT_RETENTION (see README and docs/privacy.md).`;

async function createUser(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } },
  });
  const password = await readPassword();
  const parsed = parseWith(newStaffUserSchema, { ...values, password }, 'user');
  if (!parsed.ok) throw new UsageError(parsed.problems.join('\n'));
  await withStorage(async ({ db, dialect }) => {
    if (await findStaffByEmail(db, parsed.value.email))
      throw new UsageError(`${parsed.value.email} already has an account.`);
    const user = await createStaffUser(db, parsed.value, Date.now());
    await audit(
      db,
      {
        ...CLI_ACTOR,
        action: 'users.create',
        target: user.email,
        outcome: 'ok',
        detail: user.role,
      },
      Date.now(),
      dialect,
    );
    console.log(`Created ${user.role} ${user.email}`);
  });
}

async function createExam(args: string[]): Promise<void> {
  const [file] = args;
  if (!file) throw new UsageError('create-exam needs the exam JSON file.');
  const exam = await loadExamFile(file);
  await withStorage(async ({ db, dialect }) => {
    if (await findExamByCode(db, exam.code))
      throw new UsageError(`An exam with code ${exam.code} already exists.`);
    const stored = await insertExam(db, exam, Date.now());
    await audit(
      db,
      { ...CLI_ACTOR, action: 'exams.create', target: stored.code, outcome: 'ok' },
      Date.now(),
      dialect,
    );
    console.log(`Created exam ${stored.code} (${stored.title}), id ${stored.id}`);
  });
}

async function importCandidatesCommand(args: string[]): Promise<void> {
  const [code, file] = args;
  if (!code || !file)
    throw new UsageError('import-candidates needs the exam code and the CSV file.');
  const bytes = await readFile(file);
  await withStorage(async ({ db, dialect }) => {
    const exam = await findExamByCode(db, code.toUpperCase());
    if (!exam) throw new UsageError(`No exam with code ${code}.`);
    const report = await importCandidates(db, exam.id, bytes);
    await audit(
      db,
      {
        ...CLI_ACTOR,
        action: 'candidates.import',
        target: exam.code,
        outcome: 'ok',
        detail: `imported ${report.imported}, ${report.errors.length} rows refused`,
      },
      Date.now(),
      dialect,
    );
    console.log(`Imported ${report.imported} candidates into ${exam.code}.`);
    for (const error of report.errors) console.log(`  line ${error.line}: ${error.message}`);
    if (report.errors.length > 0) process.exitCode = 2;
  });
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      // Loaded only to serve: the other commands start without the web server's modules.
      return (await import('../server')).serve();
    case 'migrate':
      return withStorage(() => {
        console.log('The database schema is up to date.');
        return Promise.resolve();
      });
    case 'create-user':
      return createUser(rest);
    case 'update-user':
      return updateUserCommand(rest);
    case 'create-exam':
      return createExam(rest);
    case 'import-candidates':
      return importCandidatesCommand(rest);
    case 'backup':
      return backupCommand(rest);
    case 'restore':
      return restoreCommand(rest);
    case 'verify-audit':
      return withStorage(async ({ db }) => {
        const verdict = await verifyAudit(db);
        if (!verdict.ok) {
          console.error(`The audit log has been tampered with: ${verdict.problem}.`);
          process.exitCode = 3;
          return;
        }
        console.log(`The audit log is intact: ${verdict.entries} entries.`);
        console.log(`Head hash: ${verdict.headHash} (keep it elsewhere to compare later)`);
      });
    case 'retention':
      return retentionCommand(rest);
    case 'hold':
      return holdCommand(rest);
    case 'holds':
      return holdsCommand();
    case 'grades-final':
      return gradesFinalCommand(rest);
    case 'release-hold':
      return releaseHoldCommand(rest);
    case 'handovers':
      return handoversCommand();
    case 'retry-handover':
      return retryHandoverCommand(rest);
    case 'abandon-handover':
      return abandonHandoverCommand(rest);
    case 'export-subject':
      return exportSubjectCommand(rest);
    case 'add-recipient':
      return addRecipientCommand(rest);
    case 'export-research':
      return exportResearchCommand(rest);
    case 'exit-code-hash': {
      // Read from stdin, never argv: a code on the command line stays in the shell's history.
      const exitCode = await hashExitCode(await readPassword('Exit code'));
      console.log(JSON.stringify({ exitCode }, null, 2));
      console.error('Put "exitCode" in the exam file\'s "policy"; tell invigilators the code.');
      return;
    }
    case 'show-keys': {
      const keys = loadServerKeys(loadServerConfig().dataDir);
      console.log(`signing (Ed25519):  ${keys.signing.publicKey}`);
      console.log(`hand-in (X25519):   ${keys.handIn.publicKey}`);
      return;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return;
    default:
      throw new UsageError(`Unknown command "${command}".\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (
    error instanceof UsageError ||
    error instanceof HttpError ||
    error instanceof ExamFileError ||
    error instanceof ExitCodeError
  ) {
    console.error(error.message);
    process.exit(1);
  }
  exitOnStartError(error);
});
