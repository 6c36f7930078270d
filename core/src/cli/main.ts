#!/usr/bin/env node
import 'reflect-metadata';
import { existsSync, statSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { bootPlein, BootError, type RunningPlein } from '../app/boot';
import { ConfigError, loadConfig } from '../config/config';
import { runCreatePlugin } from './create-plugin';
import { runMigrate, runPluginsList, runPluginsSetEnabled, runSearchReindex, runTokenCreate, runUserCreate } from './commands';
import { migrationProgress } from './progress';
import { runThemeCheck, THEME_RULES } from './theme-check';

/** Exit codes: 0 done, 1 failed (the reason is printed), 2 bad arguments (usage is printed). */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export class UsageError extends Error {}

/** The checked theme has errors; the report says which (nothing more to print). */
class ThemeCheckFailed extends Error {}

function serveUntilSignalled(plein: RunningPlein, what: string): Promise<void> {
  return new Promise((resolveDone) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`${signal}: stopping ${what}, finishing the work in hand…\n`);
      await plein.close();
      resolveDone();
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
  });
}

export function buildProgram(): Command {
  const program = new Command('plein')
    .description('Plein: a plugin-based social intranet')
    .showHelpAfterError('(run plein --help for usage)')
    .configureOutput({ outputError: (text, write) => write(text) })
    .exitOverride();

  program
    .command('start')
    .description('migrate if needed, then serve on HOST:PORT (default 0.0.0.0:3000)')
    .addOption(new Option('--no-worker', 'do not run job workers in this process (use `plein worker` for them)'))
    .action(async (options: { worker: boolean }) => {
      const config = loadConfig(process.env, options.worker ? {} : { runWorkers: false });
      const started = Date.now();
      const plein = await bootPlein({ config, listen: true, migrationProgress: migrationProgress() });
      const address = plein.app.getHttpServer().address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      process.stderr.write(
        `Plein is listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port} ` +
          `(${plein.db.engine}, ${plein.jobs.backend.kind} queue, ${plein.registry.all().length} plugins, ${Date.now() - started} ms)\n`,
      );
      await serveUntilSignalled(plein, 'the server');
    });

  program
    .command('worker')
    .description('run job and durable-event workers only (needs REDIS_URL)')
    .action(async () => {
      const config = loadConfig(process.env, { runWorkers: true });
      if (!config.redisUrl) throw new UsageError('plein worker: expected REDIS_URL to be set (the embedded queue is worked by `plein start` itself), found it unset');
      const plein = await bootPlein({ config, listen: false, migrationProgress: migrationProgress() });
      process.stderr.write(`Plein worker running (${plein.jobs.processors.size} job kinds, queue prefix ${config.queuePrefix})\n`);
      await serveUntilSignalled(plein, 'the worker');
    });

  program
    .command('migrate')
    .description('run pending migrations of core and the configured plugins, with progress')
    .option('--down', 'revert every migration of core and the plugins (destroys data)')
    .action(async (options: { down?: boolean }) => runMigrate(loadConfig(), Boolean(options.down)));

  const plugins = program.command('plugins').description('plugin state');
  plugins.command('list').description('installed plugins and their state').option('--json', 'print JSON').action(async (o: { json?: boolean }) => runPluginsList(loadConfig(), Boolean(o.json)));
  plugins.command('enable').argument('<id>', 'plugin id').description('enable an installed plugin').action(async (id: string) => runPluginsSetEnabled(loadConfig(), id, true));
  plugins.command('disable').argument('<id>', 'plugin id').description('disable a plugin (the emergency switch)').action(async (id: string) => runPluginsSetEnabled(loadConfig(), id, false));

  program
    .command('user:create')
    .description('create a user')
    .requiredOption('--email <email>', 'e-mail address')
    .requiredOption('--handle <handle>', 'handle, e.g. ada')
    .requiredOption('--name <name>', 'display name')
    .option('--password <password>', 'password (at least 12 characters)')
    .option('--admin', 'give the user the admin role')
    .action(async (o: { email: string; handle: string; name: string; password?: string; admin?: boolean }) => runUserCreate(loadConfig(), o));

  program
    .command('token:create')
    .description('issue a personal access token for a user and print it (shown once)')
    .requiredOption('--handle <handle>', 'whose token')
    .option('--name <name>', 'what the token is for', 'cli')
    .action(async (o: { handle: string; name: string }) => runTokenCreate(loadConfig(), o.handle, o.name));

  const search = program.command('search').description('the search index');
  search
    .command('reindex')
    .description('rebuild the search index from every item of content, in batches, with progress (search keeps working meanwhile)')
    .option('--batch-size <n>', 'items per batch and transaction', (value: string) => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new InvalidArgumentError('expected a whole number from 1 to 10000');
      return n;
    }, 500)
    .action(async (o: { batchSize: number }) => runSearchReindex(loadConfig(), o.batchSize));

  const theme = program.command('theme').description('themes');
  theme
    .command('check')
    .description('check a theme folder: the templates core renders, the partials and helpers its templates use, its message catalogues')
    .argument('<dir>', 'the theme folder, e.g. themes/high-contrast')
    .option('--json', 'print the report as JSON')
    .addHelpText('after', `\nRules (exit 1 when any error is found, 0 with warnings only):\n${Object.entries(THEME_RULES).map(([code, r]) => `  ${code} ${r.name.padEnd(19)} ${r.severity.padEnd(7)}  ${r.summary}`).join('\n')}\n`)
    .action(async (dir: string, o: { json?: boolean }, command: Command) => {
      if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`plein theme check: expected a theme folder, found no folder at ${dir}\nUsage: plein theme ${command.name()} ${command.usage()}`);
      // The config gives the enabled plugins and where parent themes are; a check needs no secret.
      if (!(await runThemeCheck(loadConfig(process.env, { secret: 'unused' }), dir, Boolean(o.json)))) throw new ThemeCheckFailed();
    });

  program
    .command('create-plugin')
    .description('scaffold a plugin that builds and passes its own test')
    .argument('<name>', 'plugin id, e.g. polls', (value: string) => {
      if (!/^[a-z][a-z0-9-]*$/.test(value)) throw new InvalidArgumentError('expected lower case letters, digits and dashes, starting with a letter');
      return value;
    })
    .option('--dir <dir>', 'where to write it (default plugins/<name>)')
    .action(async (name: string, o: { dir?: string }) => runCreatePlugin(name, o.dir));

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    if (argv.length <= 2) {
      program.outputHelp();
      return EXIT.usage;
    }
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    if (error instanceof ThemeCheckFailed) return EXIT.failed;
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof BootError || error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT.failed;
    }
    process.stderr.write(`plein: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failed;
  }
}

if (require.main === module) {
  void main(process.argv).then((code) => {
    // Servers resolve only after a signal; everything else exits with its code.
    process.exit(code);
  });
}
