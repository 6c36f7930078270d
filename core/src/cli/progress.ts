import { SingleBar, Presets } from 'cli-progress';
import type { MigrationProgress } from '../database/migrations';
import type { ReindexProgress } from '../search/search-indexer';

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

/** A progress bar per phase of a search rebuild on a terminal; a line per phase and its end otherwise. */
export function reindexProgress(stream: NodeJS.WriteStream = process.stderr): ReindexProgress & { stop(): void } {
  let bar: SingleBar | null = null;
  let phase: string | null = null;
  let last = { done: 0, total: 0 };
  const finish = () => {
    if (bar) bar.stop();
    else if (phase) stream.write(`${phase}: ${last.done}/${last.total}\n`);
    bar = null;
  };
  const report = (name: string, done: number, total: number) => {
    if (name !== phase) {
      finish();
      phase = name;
      if (stream.isTTY) {
        bar = new SingleBar({ format: `${name.padEnd(9)} [{bar}] {value}/{total}`, stream }, Presets.shades_classic);
        bar.start(total, done);
      } else {
        stream.write(`${name}: ${total} to go through\n`);
      }
    }
    last = { done, total };
    if (bar) {
      bar.setTotal(total);
      bar.update(done);
    }
  };
  return Object.assign(report, {
    stop() {
      finish();
      phase = null;
    },
  });
}
