import { Clock } from '@plein/sdk';

/** The wall clock. */
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock that starts at real time and moves only when told (tests). */
export class ManualClock extends Clock {
  private offset = 0;
  private frozen: Date | null = null;

  now(): Date {
    return this.frozen ? new Date(this.frozen.getTime()) : new Date(Date.now() + this.offset);
  }

  set(at: Date): void {
    this.frozen = new Date(at.getTime());
  }

  advance(ms: number): void {
    if (this.frozen) this.frozen = new Date(this.frozen.getTime() + ms);
    else this.offset += ms;
  }
}
