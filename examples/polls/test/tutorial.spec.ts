/**
 * docs/writing-a-plugin.md quotes this plugin: every code block marked `<!-- from <path> -->` must
 * appear, line for line, in that file. A change here that the tutorial does not follow fails this.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const TUTORIAL = readFileSync(join(ROOT, 'docs', 'writing-a-plugin.md'), 'utf8');
const QUOTED = /<!-- from (\S+) -->\n+(?:<!-- prettier-ignore -->\n+)?```\w*\n([\s\S]*?)\n```/g;

const blocks = [...TUTORIAL.matchAll(QUOTED)].map((m, i) => ({ index: i + 1, path: m[1], code: m[2] }));

describe('docs/writing-a-plugin.md', () => {
  it('quotes the polls example in at least twenty code blocks', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(20);
    expect(blocks.filter((b) => b.path.startsWith('examples/polls/')).length).toBeGreaterThanOrEqual(20);
  });

  it.each(blocks.map((b) => [`${b.index}: ${b.path}`, b] as const))('block %s matches its file', (_title, block) => {
    const file = readFileSync(join(ROOT, block.path), 'utf8');
    expect(file).toContain(block.code);
  });
});
