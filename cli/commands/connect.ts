import { spawn } from 'node:child_process';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { Option } from '@commander-js/extra-typings';
import { cloneIdForName } from '../../functions/shared/artifact.js';
import type { Aws } from '../aws.js';
import { requireClone } from '../clones.js';
import { examples, type Program, withAws } from '../command.js';
import { findDeployment } from '../deployment.js';
import { EXIT, UserError } from '../errors.js';

/** Options of `dbaf connect`. */
export interface ConnectOptions {
  /** One SQL command for psql's `-c`: run it and exit. */
  readonly command?: string;
  /** Connect to the reader endpoint instead of the writer. */
  readonly reader?: boolean;
  /** The psql program. @default DBAF_PSQL, then `psql` on PATH */
  readonly psql?: string;
}

/** The standard RDS secret JSON the clone's secret holds. */
interface Credentials {
  readonly username?: string;
  readonly password?: string;
  readonly dbname?: string;
}

async function credentials(
  aws: Aws,
  secretId: string,
  cloneId: string,
  status: string,
): Promise<Credentials> {
  try {
    const value = await aws.secrets.send(new GetSecretValueCommand({ SecretId: secretId }));
    return JSON.parse(value.SecretString ?? '{}') as Credentials;
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    throw new UserError(
      `Clone ${cloneId} has no credentials yet (status ${status}): its password is set once its instances are up. Try again when "dbaf show ${cloneId}" says available.`,
      EXIT.refused,
      { cause: error },
    );
  }
}

/** Runs psql with the password in its environment; resolves with psql's exit code. */
function runPsql(program: string, args: readonly string[], password: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      stdio: 'inherit',
      env: { ...process.env, PGPASSWORD: password, PGCONNECT_TIMEOUT: process.env.PGCONNECT_TIMEOUT ?? '15' },
    });
    // psql handles Ctrl-C itself (it cancels the running query); dbaf must not exit under it.
    const ignore = () => {};
    process.on('SIGINT', ignore);
    child.once('error', (error: NodeJS.ErrnoException) => {
      process.off('SIGINT', ignore);
      if (error.code !== 'ENOENT') return reject(error);
      reject(
        new UserError(
          `"${program}" was not found. Install the PostgreSQL client (Debian or Ubuntu: apt-get install postgresql-client; macOS: brew install libpq), or give its path with --psql or DBAF_PSQL.`,
          EXIT.environment,
          { cause: error },
        ),
      );
    });
    child.once('exit', (code, signal) => {
      process.off('SIGINT', ignore);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

/**
 * `dbaf connect <clone> [-- psql arguments]`: reads the clone's secret and opens psql on it.
 *
 * The password reaches psql through `PGPASSWORD` in its environment only: never the command line
 * (visible to every user in `ps`), the terminal or a file.
 */
export async function connect(
  name: string,
  psqlArgs: readonly string[],
  options: ConnectOptions,
  aws: Aws,
): Promise<void> {
  const deployment = await findDeployment(aws);
  const cloneId = cloneIdForName(name, deployment.cloneNamePrefix);
  const clone = await requireClone(aws.rds, cloneId);
  const host = options.reader ? clone.readerEndpoint : clone.endpoint;
  if (clone.status !== 'available' || host === null) {
    throw new UserError(
      `Clone ${cloneId} is not ready for connections (status ${clone.status}). "dbaf show ${cloneId}" shows its progress.`,
      EXIT.refused,
    );
  }
  const secret = await credentials(aws, `${deployment.secretPrefix}${cloneId}`, cloneId, clone.status);
  const args = [
    '--host',
    host,
    '--port',
    String(clone.port),
    '--username',
    secret.username ?? clone.username ?? '',
    '--dbname',
    secret.dbname ?? clone.databaseName ?? 'postgres',
    ...(options.command === undefined ? [] : ['--command', options.command]),
    ...psqlArgs,
  ];
  const program = options.psql ?? process.env.DBAF_PSQL ?? 'psql';
  process.exitCode = await runPsql(program, args, secret.password ?? '');
}

/** Adds `dbaf connect` to the program. */
export function register(program: Program): void {
  program
    .command('connect')
    .description("open psql on a clone, with the password from the clone's secret (never shown)")
    .argument('<clone>', 'the clone name')
    .argument('[psql-args...]', 'more psql arguments, after --')
    .option('-c, --command <sql>', 'run one SQL command and exit')
    .option('--reader', 'connect to the reader endpoint')
    .addOption(new Option('--psql <path>', 'the psql program').env('DBAF_PSQL'))
    .addHelpText(
      'after',
      examples(
        'dbaf connect my-clone',
        'dbaf connect my-clone -c "select count(*) from customers"',
        'dbaf connect my-clone -- -f checks.sql --no-psqlrc',
      ),
    )
    .action((name, args, options, command) => withAws(command, (aws) => connect(name, args, options, aws)));
}
