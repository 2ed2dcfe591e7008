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

/** Where and as whom to connect to a clone, as `dbaf connect` gives it to psql. */
export interface CloneConnection {
  readonly cloneId: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  /** From the clone's secret: for psql's environment or a driver, never a command line. */
  readonly password: string;
}

/**
 * How to connect to a clone: its endpoint (the reader's with `reader`), and the user, database and
 * password of its Secrets Manager secret.
 *
 * @throws UserError when there is no such clone, or it is not ready for connections.
 */
export async function cloneConnection(
  aws: Aws,
  name: string,
  options: { readonly reader?: boolean } = {},
): Promise<CloneConnection> {
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
  return {
    cloneId,
    host,
    port: clone.port ?? 5432,
    user: secret.username ?? clone.username ?? '',
    database: secret.dbname ?? clone.databaseName ?? 'postgres',
    password: secret.password ?? '',
  };
}

/** psql's arguments for a connection: everything but the password, which goes in `PGPASSWORD`. */
export function psqlArguments(connection: CloneConnection): string[] {
  return [
    '--host',
    connection.host,
    '--port',
    String(connection.port),
    '--username',
    connection.user,
    '--dbname',
    connection.database,
  ];
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
  const connection = await cloneConnection(aws, name, options);
  const args = [
    ...psqlArguments(connection),
    ...(options.command === undefined ? [] : ['--command', options.command]),
    ...psqlArgs,
  ];
  const program = options.psql ?? process.env.DBAF_PSQL ?? 'psql';
  process.exitCode = await runPsql(program, args, connection.password);
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
