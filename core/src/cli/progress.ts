import { SingleBar, Presets } from 'cli-progress';
import type { MigrationProgress } from '../database/migrations';

/** A progress bar per migration set on a terminal; plain lines otherwise (logs, CI). */
export function migrationProgress(stream: NodeJS.WriteStream = process.stderr): MigrationProgress {
  let bar: SingleBar | null = null;
  let done = 0;
  return {
    onSetStart(owner, pending) {
      if (pending === 0) return;
      done = 0;
      if (stream.isTTY) {
        bar = new SingleBar({ format: `migrating ${owner.padEnd(12)} [{bar}] {value}/{total} {migration}`, stream }, Presets.shades_classic);
        bar.start(pending, 0, { migration: '' });
      } else {
        stream.write(`migrating ${owner}: ${pending} pending\n`);
      }
    },
    onMigration(owner, name) {
      if (bar) bar.update(done++, { migration: name });
      else stream.write(`  ${owner}: ${name}\n`);
    },
    onSetDone(owner, ran) {
      if (ran === 0) return;
      if (bar) {
        bar.update(ran, { migration: 'done' });
        bar.stop();
        bar = null;
      } else {
        stream.write(`migrated ${owner}: ${ran} ran\n`);
      }
    },
  };
}
