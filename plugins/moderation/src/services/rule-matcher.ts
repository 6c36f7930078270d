import { Worker } from 'node:worker_threads';
import safeRegex from 'safe-regex2';
import type { RuleAction, RuleMatch } from '../entities/moderation-rule.entity';

/** A rule as the matcher needs it (times as epoch milliseconds). */
export interface MatchableRule {
  id: string;
  match: RuleMatch;
  pattern: string;
  action: RuleAction;
  spaceId: string | null;
  activeFrom: number | null;
  activeUntil: number | null;
  routeRole: string | null;
  replacement: string | null;
  message: string | null;
}

/** One occurrence of a rule in a text. */
export interface RuleHit {
  rule: MatchableRule;
  /** The text that matched. */
  matched: string;
  index: number;
}

/** What the rules found in one text; `timedOut` when the regular expressions ran out of time. */
export interface MatchOutcome {
  hits: RuleHit[];
  timedOut: boolean;
}

/** Most severe first: when several rules match, this order decides. */
export const ACTION_SEVERITY: Record<RuleAction, number> = { reject: 0, hold: 1, flag: 2, censor: 3 };

/** Occurrences collected per text at most (a text full of one word needs no more to decide). */
const MAX_HITS = 500;
const WORD_CHAR = '[\\p{L}\\p{N}_]';
/** Letters, digits and a few joiners; a trailing `*` matches any word that starts so. */
const WORD_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}_'’&.+#-]*(?: [\p{L}\p{N}_'’&.+#-]+)*\*?$/u;
export const MAX_WORD_LENGTH = 100;
export const MAX_REGEX_LENGTH = 500;

/** A watched word as it is stored and compared: lower case, single spaces. */
export function normalizeWord(word: string): string {
  return word.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** The characters a `u`-mode regular expression must escape outside a class. */
const escapeChar = (c: string) => (/[\^$\\.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c === ' ' ? '\\s+' : c);

/**
 * Why a pattern cannot be a rule (a sentence for the 422), or null when it can. Regular
 * expressions must compile (case-insensitive, Unicode), pass `safe-regex2` (no nested
 * quantifiers: star height 1, at most 25 repetitions), use no backreferences or named groups, and
 * not match empty text.
 */
export function patternProblem(match: RuleMatch, pattern: string): string | null {
  if (typeof pattern !== 'string' || !pattern.trim()) return 'must not be empty';
  if (match === 'word') {
    const word = normalizeWord(pattern);
    if ([...word].length > MAX_WORD_LENGTH) return `must be at most ${MAX_WORD_LENGTH} characters`;
    if (!WORD_PATTERN.test(word))
      return "must be a word or phrase: letters and digits (with _ ' & . + # -), single spaces, and an optional * at the end";
    return null;
  }
  if (match !== 'regex') return "match must be 'word' or 'regex'";
  if ([...pattern].length > MAX_REGEX_LENGTH) return `must be at most ${MAX_REGEX_LENGTH} characters`;
  let compiled: RegExp;
  try {
    compiled = new RegExp(pattern, 'iu');
  } catch (error) {
    return `is not a valid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`;
  }
  if (/\\[1-9]|\\k</.test(pattern)) return 'must not use backreferences (\\1, \\k<name>): they can make matching slow';
  if (/\(\?<[A-Za-z_$]/.test(pattern)) return 'must not use named groups (?<name>…): use (?:…) instead';
  if (!safeRegex(pattern))
    return 'could backtrack catastrophically: nested quantifiers such as (a+)+ or (\\w+\\s?)* are refused (safe-regex2), as is syntax the check cannot read';
  if (compiled.test('')) return 'matches empty text, so it would match every post';
  return null;
}

interface TrieNode {
  children: Map<string, TrieNode>;
  end: boolean;
  wildcard: boolean;
}

const node = (): TrieNode => ({ children: new Map(), end: false, wildcard: false });

/** A regular expression source that matches any of `words`, with shared prefixes factored out. */
function trieSource(root: TrieNode): string {
  const walk = (n: TrieNode): string => {
    const parts = [...n.children.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([c, child]) => escapeChar(c) + walk(child));
    if (n.wildcard) parts.push(`${WORD_CHAR}*`);
    else if (n.end && parts.length) parts.push('');
    if (parts.length === 0) return '';
    return parts.length === 1 ? parts[0] : `(?:${parts.join('|')})`;
  };
  return walk(root);
}

/** The worker: waits on the control word, runs the expression over the texts it is given, answers. */
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const ctrl = new Int32Array(workerData.ctrl);
const bytes = Buffer.from(workerData.buf);
const re = new RegExp(workerData.source, 'giu');
parentPort.postMessage('ready');
for (;;) {
  const state = Atomics.load(ctrl, 0);
  if (state !== 1) { Atomics.wait(ctrl, 0, state); continue; }
  Atomics.store(ctrl, 0, 3);
  const texts = JSON.parse(bytes.toString('utf8', 0, ctrl[1]));
  const out = [];
  for (let t = 0; t < texts.length; t++) {
    const hits = [];
    re.lastIndex = 0;
    let m;
    while ((m = re.exec(texts[t])) !== null) {
      if (m[0] === '') { re.lastIndex++; continue; }
      for (const k in m.groups) if (m.groups[k] !== undefined) { hits.push([k, m.index, m[0]]); break; }
      if (hits.length >= workerData.max) break;
    }
    out.push(hits);
  }
  const json = JSON.stringify(out);
  ctrl[1] = Buffer.byteLength(json) <= bytes.length ? bytes.write(json, 0, 'utf8') : -1;
  Atomics.store(ctrl, 0, 2);
  Atomics.notify(ctrl, 0);
}
`;

/** How long a request may wait for the worker to start on it. */
const STARTUP_GRACE_MS = 1000;

/** Bytes shared with the worker for one request or answer (texts beyond it are refused). */
const SHARED_BYTES = 4 * 1024 * 1024;

/**
 * The combined regular expression of the regex rules, run in a worker thread so that its time can
 * be bounded: the caller waits on a shared control word (`Atomics.wait`, microseconds when the
 * answer comes) and, when the limit passes, terminates the worker (which stops the expression
 * wherever it is) and starts a new one. A `vm` timeout would bound it too, but starts a watchdog
 * thread per call: 100–500 µs each time.
 */
export class BoundedRegex {
  private worker: Worker | null = null;
  private readiness: Promise<void> | null = null;
  private readonly ctrl = new Int32Array(new SharedArrayBuffer(8));
  private readonly shared = new SharedArrayBuffer(SHARED_BYTES);
  private readonly bytes = Buffer.from(this.shared);
  private disposed = false;

  constructor(private readonly source: string) {
    new RegExp(source, 'giu'); // throws here, not in the worker
  }

  /** Resolves once a worker waits for work (starting one when there is none). */
  ready(): Promise<void> {
    if (this.disposed) return Promise.reject(new Error('The rule set was replaced'));
    if (this.readiness) return this.readiness;
    Atomics.store(this.ctrl, 0, 0);
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { ctrl: this.ctrl.buffer, buf: this.shared, source: this.source, max: MAX_HITS },
    });
    worker.unref();
    this.worker = worker;
    this.readiness = new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', (error) => {
        this.forget(worker);
        reject(error);
      });
      worker.once('exit', () => this.forget(worker));
    });
    return this.readiness;
  }

  private forget(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.readiness = null;
  }

  /** For each text, its hits as `[groupName, index, matched]`; null when the time ran out. Call after `ready()`. */
  scan(texts: readonly string[], timeoutMs: number): Array<Array<[string, number, string]>> | null {
    const worker = this.worker;
    if (!worker) return null;
    const json = JSON.stringify(texts);
    if (Buffer.byteLength(json) > SHARED_BYTES)
      throw new Error(`Texts of ${Buffer.byteLength(json)} bytes: more than the ${SHARED_BYTES} one scan takes`);
    this.ctrl[1] = this.bytes.write(json, 0, 'utf8');
    Atomics.store(this.ctrl, 0, 1);
    Atomics.notify(this.ctrl, 0);
    // The limit counts from when the worker starts on the texts (state 3): a worker the scheduler
    // has not run yet is not a slow expression (up to a second).
    const posted = performance.now();
    let deadline = posted + STARTUP_GRACE_MS;
    let started = false;
    for (;;) {
      const state = Atomics.load(this.ctrl, 0);
      if (state === 2) break;
      if (state === 3 && !started) {
        started = true;
        deadline = performance.now() + timeoutMs;
      }
      const left = deadline - performance.now();
      if (left <= 0) {
        // Stops the expression mid-match; the next ready() starts a fresh worker.
        this.forget(worker);
        void worker.terminate();
        return null;
      }
      Atomics.wait(this.ctrl, 0, state, left);
    }
    const length = this.ctrl[1];
    Atomics.store(this.ctrl, 0, 0);
    if (length < 0) return texts.map(() => []);
    return JSON.parse(this.bytes.toString('utf8', 0, length)) as Array<Array<[string, number, string]>>;
  }

  dispose(): void {
    this.disposed = true;
    const worker = this.worker;
    this.worker = null;
    this.readiness = null;
    if (worker) void worker.terminate();
  }
}

/**
 * The rules compiled once per change of the rule set: every watched word in one regular
 * expression built as a trie (`layoff*`, `layoffs`, `lay off` share their prefix), and every
 * regular expression rule in one alternation of named groups, run with a time limit. Which rules
 * apply (space, sensitive period) is decided per text, so one compiled set serves every space.
 */
export class RuleMatcher {
  private readonly words: RegExp | null;
  private readonly exact = new Map<string, MatchableRule[]>();
  private readonly prefixes: Array<{ prefix: string; rules: MatchableRule[] }> = [];
  private readonly regexes: BoundedRegex | null;
  private readonly byGroup = new Map<string, MatchableRule>();
  readonly size: number;

  constructor(rules: readonly MatchableRule[]) {
    this.size = rules.length;
    // Severity order: within one alternation, the first alternative that matches at a place wins.
    const ordered = [...rules].sort((a, b) => ACTION_SEVERITY[a.action] - ACTION_SEVERITY[b.action]);
    const root = node();
    let anyWord = false;
    for (const rule of ordered.filter((r) => r.match === 'word')) {
      const word = normalizeWord(rule.pattern);
      const wildcard = word.endsWith('*');
      const stem = wildcard ? word.slice(0, -1).trimEnd() : word;
      if (!stem) continue;
      let at = root;
      for (const c of stem) at = at.children.get(c) ?? at.children.set(c, node()).get(c)!;
      if (wildcard) {
        at.wildcard = true;
        const entry = this.prefixes.find((p) => p.prefix === stem);
        if (entry) entry.rules.push(rule);
        else this.prefixes.push({ prefix: stem, rules: [rule] });
      } else {
        at.end = true;
        (this.exact.get(stem) ?? this.exact.set(stem, []).get(stem)!).push(rule);
      }
      anyWord = true;
    }
    this.words = anyWord ? new RegExp(`(?<!${WORD_CHAR})${trieSource(root)}(?!${WORD_CHAR})`, 'giu') : null;
    const regexRules = ordered.filter((r) => r.match === 'regex');
    if (regexRules.length) {
      const names = regexRules.map((rule, i) => {
        this.byGroup.set(`r${i}`, rule);
        return `r${i}`;
      });
      const source = regexRules.map((rule, i) => `(?<${names[i]}>${rule.pattern})`).join('|');
      this.regexes = new BoundedRegex(source);
    } else this.regexes = null;
  }

  /** The rules of a watched word that matched as `text`. */
  private wordRules(text: string): MatchableRule[] {
    const found = normalizeWord(text);
    const rules = [...(this.exact.get(found) ?? [])];
    for (const p of this.prefixes) if (found.startsWith(p.prefix)) rules.push(...p.rules);
    return rules;
  }

  /** Resolves when the matcher can scan (its regex worker, if it has one, is waiting). */
  async ready(): Promise<void> {
    await this.regexes?.ready();
  }

  /** Stops the regex worker; the matcher is not used afterwards. */
  dispose(): void {
    this.regexes?.dispose();
  }

  /** Every occurrence of every rule in each text (whatever their space or period). Call after `ready()`. */
  scan(texts: readonly string[], timeoutMs: number): MatchOutcome[] {
    const outcomes: MatchOutcome[] = texts.map(() => ({ hits: [], timedOut: false }));
    if (this.words) {
      texts.forEach((text, t) => {
        for (const m of text.matchAll(this.words!)) {
          for (const rule of this.wordRules(m[0])) outcomes[t].hits.push({ rule, matched: m[0], index: m.index });
          if (outcomes[t].hits.length >= MAX_HITS) break;
        }
      });
    }
    if (this.regexes) {
      const found = this.regexes.scan(texts, timeoutMs);
      if (found === null) for (const o of outcomes) o.timedOut = true;
      else
        found.forEach((hits, t) => {
          for (const [group, index, matched] of hits)
            outcomes[t].hits.push({ rule: this.byGroup.get(group)!, matched, index });
        });
    }
    return outcomes;
  }

  /** Every occurrence of every rule in one text. */
  match(text: string, timeoutMs: number): MatchOutcome {
    return this.scan([text], timeoutMs)[0];
  }
}

/** Whether a rule applies to content in `spaceId` at `now`. */
export function applies(rule: MatchableRule, spaceId: string | null, now: number): boolean {
  if (rule.spaceId !== null && rule.spaceId !== spaceId) return false;
  if (rule.activeFrom !== null && now < rule.activeFrom) return false;
  if (rule.activeUntil !== null && now >= rule.activeUntil) return false;
  return true;
}

/** `text` with every censored occurrence replaced (the first of overlapping occurrences wins). */
export function censor(text: string, hits: readonly RuleHit[]): string {
  const sorted = hits.filter((h) => h.rule.action === 'censor').sort((a, b) => a.index - b.index);
  let out = '';
  let at = 0;
  for (const hit of sorted) {
    if (hit.index < at) continue;
    out += text.slice(at, hit.index) + (hit.rule.replacement ?? '***');
    at = hit.index + hit.matched.length;
  }
  return out + text.slice(at);
}
