#!/usr/bin/env node
// `node tests/pack/sdk-pack.js`: @plein/sdk as an outside developer receives it.
//
// Builds the SDK (tsc -b, incremental), packs it with `npm pack`, installs the tarball and its peers
// from the npm registry into an empty folder, writes a small plugin there and type-checks it twice:
// moduleResolution node10 (`@plein/sdk/testing` through `typesVersions`) and node16 (through
// `exports`). Control checks break the package or the plugin on purpose, to show that the checks
// above can fail. Temp folders are removed at the end.
//
// Every check prints one `passed` or `failed` line; the last line is `N passed, N failed` and the
// exit status is 1 when anything failed. Needs the npm registry (about 15 s of installing).
//
//   SDK_PACK_KEEP=1   keep the temp folder and print its path (to look at a failure)
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const SDK_DIR = path.join(ROOT, 'sdk');
const TSC = require.resolve('typescript/bin/tsc', { paths: [ROOT] });
// What a plugin author installs beside the SDK (sdk/README.md "Install"): its peers (`rxjs` is a
// peer of @nestjs/common), and supertest with its types because the plugin here imports
// @plein/sdk/testing. Scripts are skipped: no native build of any optional peer is wanted here.
const PEERS = [
  '@nestjs/common@^11',
  'typeorm@^1',
  'class-validator',
  'class-transformer',
  'reflect-metadata',
  'rxjs',
  'typescript@~5.9.3',
  'supertest@^7',
  '@types/supertest@^6',
];
const REQUIRED_FILES = [
  'package.json',
  'README.md',
  'dist/index.js',
  'dist/index.d.ts',
  'dist/testing/index.js',
  'dist/testing/index.d.ts',
];

// ---------------------------------------------------------------------------------------- harness

const results = { passed: 0, failed: 0 };

/**
 * Runs one check: `fn` returns nothing when it passes and throws (with the evidence) when not.
 * `took` is how long its work took (seconds), for work that ran in the background.
 */
function check(title, fn, took) {
  const started = Date.now();
  let problem = null;
  try {
    fn();
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }
  const seconds = (took ?? (Date.now() - started) / 1000).toFixed(1);
  if (problem === null) {
    results.passed += 1;
    console.log(`passed  ${title} (${seconds} s)`);
  } else {
    results.failed += 1;
    console.log(`failed  ${title} (${seconds} s)`);
    console.log(indent(problem));
  }
  return problem === null;
}

function indent(text, lines = 40) {
  const all = String(text).trimEnd().split('\n');
  const shown = all.slice(0, lines).map((line) => `        ${line}`);
  if (all.length > lines) shown.push(`        … ${all.length - lines} more lines`);
  return shown.join('\n');
}

/** Runs a command to completion; never throws. */
function run(command, args, cwd) {
  const child = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NPM_CONFIG_UPDATE_NOTIFIER: 'false', NPM_CONFIG_PROGRESS: 'false' },
  });
  const output = `${child.stdout || ''}${child.stderr || ''}${child.error ? String(child.error) : ''}`;
  return { status: child.status, stdout: child.stdout || '', output };
}

function expectSuccess(result, what) {
  if (result.status !== 0) throw new Error(`${what} exited with ${result.status}:\n${result.output}`);
}

function writeFiles(dir, files) {
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
}

function notRun(reason) {
  return () => {
    throw new Error(`not run: ${reason}`);
  };
}

// ------------------------------------------------------------------------------------ the plugin

// A small plugin that touches every part of the SDK a plugin uses: an entity, a migration, a
// permission, an event, a job, settings and a DTO (class-validator, class-transformer), a JSON
// controller with @RequirePermission/@Public/@CurrentUser, a page with @Render, a provider that
// injects Database/EventBus/Jobs/Settings/Users/Clock, definePlugin as the default export, and a
// harness file that imports @plein/sdk/testing.
const PLUGIN_FILES = {
  'src/entities/notes-note.entity.ts': `
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity('notes_note')
@Index('idx_notes_note_created', ['createdAt', 'id'])
export class Note {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ name: 'author_id', type: 'varchar', length: 36 }) authorId!: string;
  @Column({ type: 'varchar', length: 1000 }) text!: string;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt!: Date;
}
`,
  'src/migrations/1730000000000-notes-init.ts': `
import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

export class NotesInit1730000000000 implements MigrationInterface {
  name = 'NotesInit1730000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'notes_note',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'author_id', type: 'varchar', length: '36' },
          { name: 'text', type: 'varchar', length: '1000' },
          { name: 'created_at', type: 'datetime', precision: 3 },
        ],
        indices: [new TableIndex({ name: 'idx_notes_note_created', columnNames: ['created_at', 'id'] })],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('notes_note');
  }
}
`,
  'src/permissions.ts': `
import { definePermission, type PermissionDefinition } from '@plein/sdk';

export const notesPermissions = {
  read: definePermission('notes.note.read', { description: 'Read notes', defaultRoles: ['member', 'anonymous'] }),
  write: definePermission('notes.note.write', { description: 'Write notes' }),
} satisfies Record<string, PermissionDefinition>;
`,
  'src/events.ts': `
import { defineContentType, defineEvent, defineJob } from '@plein/sdk';

export interface NoteWritten {
  noteId: string;
  authorId: string;
}

export const noteWritten = defineEvent<NoteWritten>('notes.note.written', { description: 'Someone wrote a note' });

export const pruneNotes = defineJob<{ olderThanDays: number }>('notes.prune-notes', {
  attempts: 5,
  backoff: { type: 'exponential', delay: 500 },
});

export const noteContent = defineContentType('notes.note', { displayName: 'Note', urlPattern: '/notes/{id}' });
`,
  'src/settings.ts': `
import { IsInt, Max, Min } from 'class-validator';

export class NotesSettings {
  @IsInt() @Min(1) @Max(1000) maxLength = 280;
}
`,
  'src/dto/write-note.dto.ts': `
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';

export class WriteNoteDto {
  @IsString() @MaxLength(1000) text!: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) keepForDays?: number;
}
`,
  'src/services/notes.service.ts': `
import { Injectable, NotFoundException } from '@nestjs/common';
import {
  Clock,
  Database,
  EventBus,
  InvalidInput,
  Jobs,
  OnEvent,
  ProcessJob,
  Settings,
  Users,
  decodeCursor,
  encodeCursor,
  type DeliveredEvent,
  type JobContext,
  type Page,
  type SignedInUser,
  type UserRef,
} from '@plein/sdk';
import { Note } from '../entities/notes-note.entity';
import { noteWritten, pruneNotes, type NoteWritten } from '../events';
import type { NotesSettings } from '../settings';

export interface NoteView {
  id: string;
  author: UserRef | null;
  text: string;
  createdAt: string;
}

@Injectable()
export class NotesService {
  written = 0;

  constructor(
    private readonly db: Database,
    private readonly events: EventBus,
    private readonly jobs: Jobs,
    private readonly settings: Settings,
    private readonly users: Users,
    private readonly clock: Clock,
  ) {}

  async write(author: SignedInUser, text: string): Promise<NoteView> {
    const { maxLength } = await this.settings.get<NotesSettings>();
    if (text.length > maxLength) {
      throw new InvalidInput([{ field: 'text', message: \`must be at most \${maxLength} characters\` }]);
    }
    const note = await this.db.transaction(async () => {
      const row: Note = { id: \`n\${this.clock.now().getTime()}\`, authorId: author.id, text, createdAt: this.clock.now() };
      await this.db.repository(Note).insert(row);
      await this.events.publish(noteWritten, { noteId: row.id, authorId: author.id });
      return row;
    });
    await this.jobs.enqueue(pruneNotes, { olderThanDays: 30 }, { jobId: 'notes-prune', delay: 60_000 });
    return (await this.describe([note]))[0];
  }

  async one(id: string): Promise<NoteView> {
    const note = await this.db.repository(Note).findOneBy({ id });
    if (!note) throw new NotFoundException(\`No note with the id '\${id}'\`);
    return (await this.describe([note]))[0];
  }

  async page(limit: number, cursor: string | undefined): Promise<Page<NoteView>> {
    const after = decodeCursor<{ createdAt: string; id: string }>(cursor);
    const qb = this.db.repository(Note).createQueryBuilder('n').orderBy('n.createdAt', 'DESC').addOrderBy('n.id', 'DESC');
    if (after) qb.where('(n.createdAt < :at OR (n.createdAt = :at AND n.id < :id))', { at: new Date(after.createdAt), id: after.id });
    const rows = await qb.take(limit + 1).getMany();
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: await this.describe(items),
      nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id }) : null,
    };
  }

  private async describe(notes: Note[]): Promise<NoteView[]> {
    const people = await this.users.findByIds(notes.map((n) => n.authorId));
    return notes.map((n) => ({ id: n.id, author: people.get(n.authorId) ?? null, text: n.text, createdAt: n.createdAt.toISOString() }));
  }

  @OnEvent(noteWritten, { durable: true })
  async count(event: DeliveredEvent<NoteWritten>): Promise<void> {
    if (event.payload.noteId) this.written += 1;
  }

  @ProcessJob(pruneNotes)
  async prune(data: { olderThanDays: number }, job: JobContext): Promise<void> {
    const before = new Date(this.clock.now().getTime() - data.olderThanDays * 86_400_000);
    await this.db.manager().createQueryBuilder().delete().from(Note).where('created_at < :before', { before }).execute();
    if (job.attempt > 1) this.written = 0;
  }
}
`,
  'src/controllers/notes.controller.ts': `
import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CurrentUser, Public, RequirePermission, parseLimit, type Page, type SignedInUser } from '@plein/sdk';
import { WriteNoteDto } from '../dto/write-note.dto';
import { notesPermissions } from '../permissions';
import { NotesService, type NoteView } from '../services/notes.service';

@Controller()
export class NotesController {
  constructor(private readonly notes: NotesService) {}

  @Get()
  @RequirePermission(notesPermissions.read)
  list(@Query('limit') limit?: string, @Query('cursor') cursor?: string): Promise<Page<NoteView>> {
    return this.notes.page(parseLimit(limit), cursor);
  }

  @Post()
  @RequirePermission(notesPermissions.write)
  write(@Body() body: WriteNoteDto, @CurrentUser() user: SignedInUser): Promise<NoteView> {
    return this.notes.write(user, body.text);
  }

  @Get('about')
  @Public()
  about(@CurrentUser() user: SignedInUser | null): { name: string; signedIn: boolean } {
    return { name: 'Notes', signedIn: user !== null };
  }

  @Get(':id')
  @RequirePermission('notes.note.read')
  one(@Param('id') id: string): Promise<NoteView> {
    return this.notes.one(id);
  }
}
`,
  'src/pages/notes.page.ts': `
import { Controller, Get } from '@nestjs/common';
import { Public, Render, type PageData } from '@plein/sdk';
import { NotesService } from '../services/notes.service';

@Controller()
export class NotesPage {
  constructor(private readonly notes: NotesService) {}

  @Get()
  @Public()
  @Render('notes/list')
  async list(): Promise<PageData> {
    return { title: 'Notes', notes: (await this.notes.page(20, undefined)).items };
  }
}
`,
  'src/notes.plugin.ts': `
import { definePlugin, Jobs } from '@plein/sdk';
import { NotesController } from './controllers/notes.controller';
import { Note } from './entities/notes-note.entity';
import { noteContent, noteWritten, pruneNotes } from './events';
import { NotesInit1730000000000 } from './migrations/1730000000000-notes-init';
import { NotesPage } from './pages/notes.page';
import { notesPermissions } from './permissions';
import { NotesService } from './services/notes.service';
import { NotesSettings } from './settings';

export default definePlugin({
  id: 'notes',
  version: '0.1.0',
  sdk: '^1.0.0',
  displayName: 'Notes',
  description: 'Short notes, to check that @plein/sdk works from its published package',
  entities: [Note],
  migrations: [NotesInit1730000000000],
  permissions: Object.values(notesPermissions),
  contentTypes: [noteContent],
  events: [noteWritten],
  jobs: [pruneNotes],
  controllers: [NotesController],
  pages: [NotesPage],
  providers: [NotesService],
  views: 'views',
  navigation: [{ label: 'Notes', path: '/notes', permission: notesPermissions.read.name }],
  settings: NotesSettings,
  lifecycle: {
    ready: async (ctx) => {
      await ctx.get(Jobs).schedule(pruneNotes, { olderThanDays: 30 }, { pattern: '0 3 * * *' });
    },
  },
});
`,
  'src/index.ts': `
export { default } from './notes.plugin';
export { noteWritten, type NoteWritten } from './events';
export { notesPermissions } from './permissions';
`,
  // The shape of an e2e test, without a test runner: only its types matter here.
  'test/notes.harness.ts': `
import { Database, type PluginDefinition } from '@plein/sdk';
import { createTestIntranet, type TestIntranet, type TestIntranetOptions, type TestUser } from '@plein/sdk/testing';
import notes from '../src';

export async function writeAndReadANote(): Promise<string> {
  const plugin: PluginDefinition = notes;
  const options: TestIntranetOptions = { plugins: [plugin], jobs: 'manual' };
  const intranet: TestIntranet = await createTestIntranet(options);
  try {
    const ada: TestUser = await intranet.createUser({ handle: 'ada', roles: ['member'] });
    await ada.http.post('/api/v1/notes').send({ text: 'Hello' }).expect(201);
    // @ts-expect-error TestHttp is supertest's agent, not \`any\`: an unknown method is an error
    await ada.http.noSuchMethod('/api/v1/notes');
    intranet.clock.advance(31 * 86_400_000);
    const ran: number = await intranet.runDueJobs();
    const engine: 'sqlite' | 'mysql' = intranet.get(Database).engine;
    return \`\${engine} \${intranet.queue} \${ran} \${intranet.events.map((e) => e.name).join(',')}\`;
  } finally {
    await intranet.close();
  }
}
`,
};

// Each line misuses the SDK in a way its types must refuse (the control for the passes above).
const MISUSE_FILE = `
import { EventBus, definePlugin, defineEvent, definePermission } from '@plein/sdk';
import type { TestIntranet } from '@plein/sdk/testing';

const noteWritten = defineEvent<{ noteId: string }>('notes.note.written');
export async function misuse(events: EventBus, intranet: TestIntranet): Promise<void> {
  await events.publish(noteWritten, { noteId: 42 });
  definePermission('notes.note.read', { description: 'Read', defaultRoles: ['superuser'] });
  await intranet.createUser({ nickname: 'ada' });
}
export default definePlugin({ id: 'notes', version: '0.1.0', displayName: 'Notes' });
`;
const MISUSE_ERRORS = 4;

const COMPILER_OPTIONS = {
  target: 'ES2022',
  lib: ['ES2023'],
  strict: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  skipLibCheck: true,
  noEmit: true,
};

function tsconfig(options, include = ['src', 'test']) {
  return `${JSON.stringify({ compilerOptions: { ...COMPILER_OPTIONS, ...options }, include }, null, 2)}\n`;
}

const NODE10 = { module: 'commonjs', moduleResolution: 'node' };
const NODE16 = { module: 'node16', moduleResolution: 'node16' };

// -------------------------------------------------------------------------------------- the steps

/** `tsc -p project` in the plugin folder, with the TypeScript installed there; resolves, never rejects. */
function tscAsync(app, project) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(app, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project, '--pretty', 'false'],
      { cwd: app },
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const took = () => (Date.now() - started) / 1000;
    child.on('error', (error) => resolve({ status: null, output: `${output}${error}`, took: took() }));
    child.on('close', (status) => resolve({ status, output: withSourceLines(app, output), took: took() }));
  });
}

/** tsc's `file(line,col): error …` lines, each followed by the source line it points at. */
function withSourceLines(cwd, output) {
  return output.replace(/^(.+?)\((\d+),\d+\): error .*$/gm, (line, file, at) => {
    try {
      const source = fs.readFileSync(path.resolve(cwd, file), 'utf8').split('\n')[Number(at) - 1];
      return `${line}\n    > ${source.trim()}`;
    } catch {
      return line;
    }
  });
}

/** Every file the manifest points at: main, types, exports (all conditions), typesVersions. */
function manifestTargets(manifest) {
  const targets = new Set();
  const add = (value) => {
    if (typeof value === 'string') targets.add(path.posix.normalize(value.replace(/^\.\//, '')));
    else if (Array.isArray(value)) value.forEach(add);
    else if (value && typeof value === 'object') Object.values(value).forEach(add);
  };
  add(manifest.main);
  add(manifest.types);
  add(manifest.typings);
  add(manifest.exports);
  add(manifest.typesVersions);
  return [...targets].filter((target) => !target.includes('*'));
}

function filesUnder(dir, pattern) {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && pattern.test(entry.name))
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name));
}

/** The package names the installed SDK's .js and .d.ts files import (comments ignored). */
function importedPackages(ts, dist) {
  const found = new Map();
  for (const file of filesUnder(dist, /\.(d\.ts|js)$/)) {
    for (const { fileName } of ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (fileName.startsWith('.') || fileName.startsWith('node:')) continue;
      const name = fileName
        .split('/')
        .slice(0, fileName.startsWith('@') ? 2 : 1)
        .join('/');
      if (!found.has(name)) found.set(name, path.relative(dist, file));
    }
  }
  return found;
}

function formatDiagnostics(ts, diagnostics, cwd) {
  return ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => cwd,
    getNewLine: () => '\n',
  });
}

/**
 * One program over the misuse file and every declaration file of the installed SDK, with
 * skipLibCheck off, so the SDK's own .d.ts files are checked (a plugin project skips them, and an
 * import that does not resolve there would silently become `any`). Other packages' declarations
 * are not asked for diagnostics.
 */
function checkInProcess(ts, app, sdkDir) {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    path.join(app, 'tsconfig.misuse.json'),
    { skipLibCheck: false },
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(formatDiagnostics(ts, [d], app));
      },
    },
  );
  const declarations = filesUnder(path.join(sdkDir, 'dist'), /\.d\.ts$/);
  const program = ts.createProgram([...parsed.fileNames, ...declarations], parsed.options);
  const diagnosticsOf = (filter) =>
    program
      .getSourceFiles()
      .filter((sf) => filter(path.resolve(sf.fileName)))
      .flatMap((sf) => [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]);
  const sdkPrefix = `${path.resolve(sdkDir)}${path.sep}`;
  return {
    misuse: diagnosticsOf((f) => f.startsWith(path.join(app, 'misuse') + path.sep)),
    sdk: diagnosticsOf((f) => f.startsWith(sdkPrefix)),
    format: (diagnostics) => formatDiagnostics(ts, diagnostics, app),
  };
}

/** Where `@plein/sdk/testing` resolves from the harness file, with the SDK manifest changed by `edit`. */
function resolveTesting(ts, app, sdkDir, jsonOptions, edit) {
  const manifestFile = path.join(sdkDir, 'package.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  if (edit) edit(manifest);
  const host = {
    fileExists: ts.sys.fileExists,
    directoryExists: ts.sys.directoryExists,
    realpath: ts.sys.realpath,
    getCurrentDirectory: () => app,
    readFile: (file) => (path.resolve(file) === manifestFile ? JSON.stringify(manifest) : ts.sys.readFile(file)),
  };
  const { options } = ts.convertCompilerOptionsFromJson(jsonOptions, app);
  const result = ts.resolveModuleName('@plein/sdk/testing', path.join(app, 'test', 'notes.harness.ts'), options, host);
  return result.resolvedModule ? path.relative(sdkDir, result.resolvedModule.resolvedFileName) : null;
}

/** Compiles the plugin's src/ to out/ file by file (no type-check: the passes above did that). */
function transpilePlugin(ts, app) {
  const { options } = ts.convertCompilerOptionsFromJson({ ...COMPILER_OPTIONS, ...NODE10, noEmit: false }, app);
  for (const file of filesUnder(path.join(app, 'src'), /\.ts$/)) {
    const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
      compilerOptions: options,
      fileName: file,
    });
    const out = path.join(app, 'out', path.relative(path.join(app, 'src'), file)).replace(/\.ts$/, '.js');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, outputText);
  }
}

async function main() {
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'plein-sdk-pack-')));
  const app = path.join(tmp, 'plugin');
  const sdkDir = path.join(app, 'node_modules', '@plein', 'sdk');
  const state = { packed: null, installed: false, manifest: null };

  try {
    check('the SDK builds to dist/ with declarations (tsc -b sdk)', () => {
      expectSuccess(run(process.execPath, [TSC, '-b', 'sdk'], ROOT), 'tsc -b sdk');
      for (const file of ['dist/index.js', 'dist/index.d.ts', 'dist/testing/index.js', 'dist/testing/index.d.ts']) {
        if (!fs.existsSync(path.join(SDK_DIR, file))) throw new Error(`sdk/${file} is missing after the build`);
      }
    });

    check('npm pack in sdk/ makes a tarball', () => {
      const result = run('npm', ['pack', '--pack-destination', tmp, '--json'], SDK_DIR);
      expectSuccess(result, 'npm pack');
      const report = JSON.parse(result.stdout.slice(result.stdout.indexOf('[')));
      const tarball = path.join(tmp, report[0].filename);
      if (!fs.existsSync(tarball)) throw new Error(`npm pack reported ${report[0].filename}, which is not in ${tmp}`);
      state.packed = { tarball, files: report[0].files.map((f) => f.path) };
    });

    const files = state.packed ? state.packed.files : null;
    const needsPack = (fn) => (files ? fn : notRun('npm pack failed'));
    for (const file of REQUIRED_FILES) {
      check(
        `the tarball holds ${file}`,
        needsPack(() => {
          if (!files.includes(file)) throw new Error(`not in the tarball; it holds:\n${files.join('\n')}`);
        }),
      );
    }
    check(
      'the tarball holds no sources (src/, *.ts other than *.d.ts)',
      needsPack(() => {
        const sources = files.filter((f) => f.startsWith('src/') || (/\.[cm]?ts$/.test(f) && !/\.d\.[cm]?ts$/.test(f)));
        if (sources.length) throw new Error(`found:\n${sources.join('\n')}`);
      }),
    );
    check(
      'the tarball holds no spec files',
      needsPack(() => {
        const specs = files.filter((f) => /\.(e2e-)?spec\./.test(f));
        if (specs.length) throw new Error(`found:\n${specs.join('\n')}`);
      }),
    );

    check(
      'the tarball installs into an empty folder with its peers from the npm registry',
      needsPack(() => {
        fs.mkdirSync(app);
        const manifest = { name: 'plein-plugin-notes', version: '0.1.0', private: true, license: 'MIT' };
        writeFiles(app, { 'package.json': `${JSON.stringify(manifest, null, 2)}\n` });
        const args = [
          'install',
          state.packed.tarball,
          ...PEERS,
          '--no-audit',
          '--no-fund',
          '--ignore-scripts',
          '--prefer-offline',
        ];
        expectSuccess(run('npm', args, app), `npm ${args.join(' ')}`);
        state.manifest = JSON.parse(fs.readFileSync(path.join(sdkDir, 'package.json'), 'utf8'));
        state.installed = true;
      }),
    );
    const needsInstall = (fn) => (state.installed ? fn : notRun('the install failed'));

    check(
      'every file package.json points at (main, types, exports, typesVersions) is installed',
      needsInstall(() => {
        const missing = manifestTargets(state.manifest).filter((t) => !fs.existsSync(path.join(sdkDir, t)));
        if (missing.length) throw new Error(`missing:\n${missing.join('\n')}`);
      }),
    );

    // The two passes a plugin author would run, in parallel with the in-process checks below.
    let node10 = null;
    let node16 = null;
    let appTs = null;
    if (state.installed) {
      writeFiles(app, {
        ...PLUGIN_FILES,
        'tsconfig.node10.json': tsconfig(NODE10),
        'tsconfig.node16.json': tsconfig(NODE16),
        'misuse/misuse.ts': MISUSE_FILE,
        'tsconfig.misuse.json': tsconfig(NODE10, ['misuse']),
      });
      node10 = tscAsync(app, 'tsconfig.node10.json');
      node16 = tscAsync(app, 'tsconfig.node16.json');
      appTs = require(path.join(app, 'node_modules', 'typescript'));
    }

    check(
      'package.json declares every package the installed .js and .d.ts files import (as a dependency or peer, or its @types)',
      needsInstall(() => {
        const declared = new Set(
          ['dependencies', 'peerDependencies', 'optionalDependencies'].flatMap((k) =>
            Object.keys(state.manifest[k] || {}),
          ),
        );
        const typesOf = (name) => `@types/${name.startsWith('@') ? name.slice(1).replace('/', '__') : name}`;
        const undeclared = [...importedPackages(appTs, path.join(sdkDir, 'dist'))].filter(
          ([name]) => name !== state.manifest.name && !declared.has(name) && !declared.has(typesOf(name)),
        );
        if (undeclared.length) {
          throw new Error(undeclared.map(([name, file]) => `${name} (imported by dist/${file})`).join('\n'));
        }
      }),
    );

    let inProcess = null;
    const needsProgram = (fn) =>
      needsInstall(() => {
        inProcess = inProcess ?? checkInProcess(appTs, app, sdkDir);
        fn(inProcess);
      });
    check(
      "@plein/sdk's own declarations have no errors (skipLibCheck off for them)",
      needsProgram(({ sdk, format }) => {
        if (sdk.length) throw new Error(format(sdk));
      }),
    );
    check(
      `control: a plugin that misuses the SDK fails the type-check with ${MISUSE_ERRORS} errors (SDK types are real, not any)`,
      needsProgram(({ misuse, format }) => {
        if (misuse.length !== MISUSE_ERRORS) {
          throw new Error(
            `expected ${MISUSE_ERRORS} errors in misuse/misuse.ts, found ${misuse.length}:\n${format(misuse)}`,
          );
        }
      }),
    );

    const testingTypes = path.join('dist', 'testing', 'index.d.ts');
    check(
      'control: node10 resolves @plein/sdk/testing through typesVersions, and fails without it',
      needsInstall(() => {
        const found = resolveTesting(appTs, app, sdkDir, NODE10);
        if (found !== testingTypes) throw new Error(`resolved to ${found}, expected ${testingTypes}`);
        const without = resolveTesting(appTs, app, sdkDir, NODE10, (m) => delete m.typesVersions);
        if (without !== null) throw new Error(`without typesVersions it still resolved, to ${without}`);
      }),
    );
    check(
      "control: node16 resolves @plein/sdk/testing through exports, and fails without exports['./testing']",
      needsInstall(() => {
        const found = resolveTesting(appTs, app, sdkDir, NODE16);
        if (found !== testingTypes) throw new Error(`resolved to ${found}, expected ${testingTypes}`);
        const without = resolveTesting(appTs, app, sdkDir, NODE16, (m) => delete m.exports['./testing']);
        if (without !== null) throw new Error(`without exports['./testing'] it still resolved, to ${without}`);
      }),
    );

    check(
      'the installed SDK loads at run time: SDK_VERSION is the packed version, @plein/sdk/testing loads without @plein/core',
      needsInstall(() => {
        const script = [
          "const sdk = require('@plein/sdk');",
          "const testing = require('@plein/sdk/testing');",
          "const pkg = require('@plein/sdk/package.json');",
          'if (sdk.SDK_VERSION !== pkg.version) throw new Error(`SDK_VERSION ${sdk.SDK_VERSION}, package ${pkg.version}`);',
          "for (const name of ['definePlugin', 'defineEvent', 'defineJob', 'definePermission', 'RequirePermission', 'Public', 'CurrentUser'])",
          "  if (typeof sdk[name] !== 'function') throw new Error(`@plein/sdk has no function ${name}`);",
          "if (typeof testing.createTestIntranet !== 'function') throw new Error('@plein/sdk/testing has no createTestIntranet');",
        ].join('\n');
        expectSuccess(run(process.execPath, ['-e', script], app), 'node -e <load @plein/sdk>');
      }),
    );
    check(
      "the plugin runs: its default export is a plugin definition rooted at the plugin's package folder",
      needsInstall(() => {
        transpilePlugin(appTs, app);
        const script = [
          "const plugin = require('./out/index.js').default;",
          "const kind = plugin[Symbol.for('plein.definition-kind')];",
          "if (kind !== 'plugin') throw new Error(`definition kind: expected 'plugin', found ${String(kind)}`);",
          'if (plugin.root !== process.cwd()) throw new Error(`root: expected ${process.cwd()}, found ${plugin.root}`);',
          "if (plugin.id !== 'notes' || plugin.permissions.length !== 2) throw new Error('unexpected manifest: ' + JSON.stringify(plugin));",
        ].join('\n');
        expectSuccess(run(process.execPath, ['-e', script], app), 'node -e <load the plugin>');
      }),
    );

    const [node10Result, node16Result] = await Promise.all([node10, node16]);
    check(
      'the plugin type-checks with module commonjs, moduleResolution node10 (@plein/sdk/testing through typesVersions)',
      needsInstall(() => expectSuccess(node10Result, 'tsc -p tsconfig.node10.json')),
      node10Result?.took,
    );
    check(
      'the plugin type-checks with module node16, moduleResolution node16 (@plein/sdk/testing through exports)',
      needsInstall(() => expectSuccess(node16Result, 'tsc -p tsconfig.node16.json')),
      node16Result?.took,
    );
  } finally {
    if (process.env.SDK_PACK_KEEP) console.log(`kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }

  console.log(`${results.passed} passed, ${results.failed} failed`);
  process.exitCode = results.failed === 0 ? 0 : 1;
}

main().catch((error) => {
  console.log(`failed  the run stopped: ${error instanceof Error ? error.stack : error}`);
  console.log(`${results.passed} passed, ${results.failed + 1} failed`);
  process.exitCode = 1;
});
