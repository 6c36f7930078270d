import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const REPO = join(__dirname, '../..');
export const PLEIN_BIN = join(REPO, 'core/dist/cli/main.js');

export interface PleinProcess {
  child: ChildProcess;
  port: number | null;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `plein <args>` as a real child process and, for `start`, waits until it listens. */
export async function startPlein(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<PleinProcess> {
  const child = spawn(process.execPath, [PLEIN_BIN, ...args], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const proc: PleinProcess = { child, port: null, output: () => log, exited };
  const ready = args[0] === 'start' ? /listening on http:\/\/[^:]+:(\d+)/ : /worker running/;
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const match = ready.exec(log);
    if (match) {
      proc.port = match[1] ? Number(match[1]) : null;
      return proc;
    }
    if (child.exitCode !== null || child.signalCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`plein ${args.join(' ')} did not become ready:\n${log}`);
}

export async function stopPlein(proc: PleinProcess): Promise<void> {
  if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGTERM');
  await proc.exited;
}
