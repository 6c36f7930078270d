import { applies, censor, normalizeWord, patternProblem, RuleMatcher, type MatchableRule } from './rule-matcher';

let n = 0;
const rule = (pattern: string, over: Partial<MatchableRule> = {}): MatchableRule => ({
  id: `rule-${++n}`,
  match: 'word',
  pattern,
  action: 'flag',
  spaceId: null,
  activeFrom: null,
  activeUntil: null,
  routeRole: null,
  replacement: null,
  message: null,
  ...over,
});

const made: RuleMatcher[] = [];
afterAll(() => made.forEach((m) => m.dispose()));

/** A matcher whose regex worker is ready. */
async function matcherOf(rules: MatchableRule[]): Promise<RuleMatcher> {
  const matcher = new RuleMatcher(rules);
  made.push(matcher);
  await matcher.ready();
  return matcher;
}

const patterns = (matcher: RuleMatcher, text: string) =>
  [...new Set(matcher.match(text, 1000).hits.map((h) => h.rule.pattern))].sort();

describe('watched words', () => {
  it('match whole words and phrases in any case, not parts of other words', async () => {
    const matcher = await matcherOf([rule('layoffs'), rule('reorganisation plan'), rule('cat')]);
    expect(patterns(matcher, 'Rumours of LAYOFFS after the Reorganisation   Plan')).toEqual([
      'layoffs',
      'reorganisation plan',
    ]);
    expect(patterns(matcher, 'concatenate the catalogue')).toEqual([]);
    expect(patterns(matcher, 'a cat, the cat.')).toEqual(['cat']);
  });

  it('match every word that starts with a stem ending in *', async () => {
    const matcher = await matcherOf([rule('reorg*'), rule('reorganise')]);
    expect(patterns(matcher, 'the reorganisation')).toEqual(['reorg*']);
    expect(patterns(matcher, 'we reorganise')).toEqual(['reorg*', 'reorganise']);
    expect(patterns(matcher, 'pre-reorg talk')).toEqual(['reorg*']);
  });

  it('treat regular expression characters in words literally', async () => {
    const matcher = await matcherOf([rule('c++'), rule('a.b')]);
    expect(patterns(matcher, 'we write c++ and axb')).toEqual(['c++']);
    expect(patterns(matcher, 'see a.b')).toEqual(['a.b']);
  });

  it('find non-Latin words', async () => {
    const matcher = await matcherOf([rule('ontslagen'), rule('réorganisation')]);
    expect(patterns(matcher, 'Zijn er ONTSLAGEN? La Réorganisation arrive')).toEqual(['ontslagen', 'réorganisation']);
  });

  it('refuse words with characters a word cannot have', async () => {
    expect(patternProblem('word', '')).toBe('must not be empty');
    expect(patternProblem('word', 'foo|bar')).toMatch(/must be a word or phrase/);
    expect(patternProblem('word', '*foo')).toMatch(/must be a word or phrase/);
    expect(patternProblem('word', 'reorg*')).toBeNull();
    expect(normalizeWord('  Lay   Off ')).toBe('lay off');
  });
});

describe('regular expression rules', () => {
  it('match with their own syntax, case-insensitively', async () => {
    const matcher = await matcherOf([
      rule('salar(y|ies) of \\w+', { match: 'regex' }),
      rule('\\d{4} \\d{4} \\d{4} \\d{4}', { match: 'regex', action: 'reject' }),
    ]);
    const hits = matcher.match('The SALARIES of managers, card 1234 5678 9012 3456', 1000).hits;
    expect(hits.map((h) => h.matched).sort()).toEqual(['1234 5678 9012 3456', 'SALARIES of managers']);
  });

  it('refuse catastrophic backtracking, backreferences, named groups, bad syntax and empty matches', async () => {
    expect(patternProblem('regex', '(a+)+$')).toMatch(/backtrack catastrophically/);
    expect(patternProblem('regex', '(\\w+\\s?)*$')).toMatch(/backtrack catastrophically/);
    expect(patternProblem('regex', '(a)\\1')).toMatch(/backreferences/);
    expect(patternProblem('regex', '(?<word>a)')).toMatch(/named groups/);
    expect(patternProblem('regex', 'a(')).toMatch(/not a valid regular expression/);
    expect(patternProblem('regex', 'a*')).toMatch(/empty text/);
    expect(patternProblem('regex', 'layoffs? (in|at) \\w+')).toBeNull();
  });

  it('stop a slow expression at the time limit and say so', async () => {
    // Polynomial backtracking passes the star-height check; the time limit still bounds it.
    const matcher = await matcherOf([rule('\\w*\\w*\\w*\\w*\\w*!', { match: 'regex' }), rule('quick')]);
    const outcome = matcher.match(`quick ${'a'.repeat(5000)}`, 20);
    expect(outcome.timedOut).toBe(true);
    expect(outcome.hits.map((h) => h.rule.pattern)).toEqual(['quick']);
    // A fresh worker takes over: the next text is checked again.
    await matcher.ready();
    expect(matcher.match('quick!', 1000)).toMatchObject({ timedOut: false });
  });
});

describe('which rules apply', () => {
  it('limits a rule to its space and to its sensitive period, which ends by itself', async () => {
    const r = rule('reorg', { spaceId: 'hr', activeFrom: 1000, activeUntil: 2000 });
    expect(applies(r, 'hr', 1500)).toBe(true);
    expect(applies(r, 'sales', 1500)).toBe(false);
    expect(applies(r, 'hr', 999)).toBe(false);
    expect(applies(r, 'hr', 2000)).toBe(false);
    expect(applies(rule('x'), null, 0)).toBe(true);
  });

  it('censors each occurrence with the rule’s replacement', async () => {
    const matcher = await matcherOf([
      rule('darn', { action: 'censor', replacement: '[…]' }),
      rule('heck', { action: 'censor' }),
    ]);
    const text = 'Darn it, heck, darn.';
    expect(censor(text, matcher.match(text, 1000).hits)).toBe('[…] it, ***, […].');
  });
});

describe('a thousand rules', () => {
  it('are checked in one pass of each combined expression', async () => {
    const rules = Array.from({ length: 950 }, (_, i) => rule(`watchword${i}`));
    rules.push(...Array.from({ length: 50 }, (_, i) => rule(`secret-${i}-\\d+`, { match: 'regex', action: 'hold' })));
    const matcher = await matcherOf(rules);
    const text = `${'An ordinary post about the weekly meeting and the coffee machine. '.repeat(8)} watchword17 secret-3-42`;
    expect(patterns(matcher, text)).toEqual(['secret-3-\\d+', 'watchword17']);
  });
});
