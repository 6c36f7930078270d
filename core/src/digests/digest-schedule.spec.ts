import { nextDigestAt } from './digest-schedule';

const at = (iso: string) => new Date(iso);

describe('nextDigestAt', () => {
  it('sends daily digests at the next 06:00 UTC', () => {
    expect(nextDigestAt('daily', at('2030-01-08T05:00:00Z'))).toEqual(at('2030-01-08T06:00:00Z'));
    expect(nextDigestAt('daily', at('2030-01-08T06:00:00Z'))).toEqual(at('2030-01-09T06:00:00Z'));
    expect(nextDigestAt('daily', at('2030-01-08T23:59:59Z'))).toEqual(at('2030-01-09T06:00:00Z'));
    expect(nextDigestAt('daily', at('2030-12-31T07:00:00Z'))).toEqual(at('2031-01-01T06:00:00Z'));
  });

  it('sends weekly digests on the next Monday at 06:00 UTC', () => {
    // 2030-01-07 is a Monday.
    expect(nextDigestAt('weekly', at('2030-01-07T05:59:59Z'))).toEqual(at('2030-01-07T06:00:00Z'));
    expect(nextDigestAt('weekly', at('2030-01-07T06:00:00Z'))).toEqual(at('2030-01-14T06:00:00Z'));
    expect(nextDigestAt('weekly', at('2030-01-08T05:00:00Z'))).toEqual(at('2030-01-14T06:00:00Z'));
    expect(nextDigestAt('weekly', at('2030-01-13T23:00:00Z'))).toEqual(at('2030-01-14T06:00:00Z'));
  });

  it('has no next digest for someone who wants none', () => {
    expect(nextDigestAt('off', at('2030-01-08T05:00:00Z'))).toBeNull();
  });
});
