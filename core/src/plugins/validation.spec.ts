import { Controller, Get } from '@nestjs/common';
import {
  defineEvent,
  defineJob,
  definePermission,
  definePlugin,
  Public,
  RequirePermission,
  type PluginManifest,
} from '@plein/sdk';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DiscoveredPlugin } from './discovery';
import { describeProblem, validatePlugins } from './validation';

function plugin(manifest: Partial<PluginManifest> & { id: string }): DiscoveredPlugin {
  const definition = definePlugin({
    version: '1.0.0',
    sdk: '^1.0.0',
    displayName: manifest.id,
    root: __dirname,
    ...manifest,
  });
  return { definition, source: `fixture:${manifest.id}`, root: __dirname };
}

function messages(plugins: DiscoveredPlugin[], ignoreSdkRange: string[] = []): string[] {
  return validatePlugins(plugins, ignoreSdkRange).problems.map(describeProblem);
}

@Entity('other_thing')
class OutsideTable {
  @PrimaryColumn() id: string;
}

@Entity('polls_poll')
class InsideTable {
  @PrimaryColumn() id: string;
  @Column() title: string;
}

@Controller()
class UnguardedController {
  @Get() open() {
    return {};
  }
}

@Controller()
class GuardedController {
  @Get() @Public() open() {
    return {};
  }
  @Get('x') @RequirePermission('polls.poll.read') read() {
    return {};
  }
}

describe('plugin validation', () => {
  it('accepts a well-formed plugin and orders dependencies first', () => {
    const result = validatePlugins([
      plugin({ id: 'b', dependsOn: ['a'] }),
      plugin({ id: 'a', entities: [], controllers: [GuardedController] }),
    ]);
    expect(result.problems).toEqual([]);
    expect(result.ordered.map((p) => p.definition.id)).toEqual(['a', 'b']);
  });

  it('rejects an id that breaks the id pattern, naming what was found', () => {
    expect(messages([plugin({ id: 'Polls' })])).toEqual([
      expect.stringMatching(/^Plugin 'Polls': expected an id matching .* found "Polls"$/),
    ]);
  });

  it('rejects two plugins with the same id, naming both sources', () => {
    expect(messages([plugin({ id: 'polls' }), plugin({ id: 'polls' })])).toEqual([
      "Plugin 'polls': expected each plugin id once, found 'polls' from both fixture:polls and fixture:polls",
    ]);
  });

  it('refuses a plugin written for another SDK major unless ignoreSdkRange names it', () => {
    const old = plugin({ id: 'legacy', sdk: '^0.9.0' });
    expect(messages([old])).toEqual([
      expect.stringMatching(
        /^Plugin 'legacy': expected @plein\/sdk \^0\.9\.0 .*ignoreSdkRange.*, found @plein\/sdk 1\./,
      ),
    ]);
    expect(messages([old], ['legacy'])).toEqual([]);
  });

  it('refuses a plugin whose dependency is not installed, and its dependents', () => {
    expect(
      messages([
        plugin({ id: 'forum-extras', dependsOn: ['forum'] }),
        plugin({ id: 'x', dependsOn: ['forum-extras'] }),
      ]),
    ).toEqual([
      "Plugin 'forum-extras': expected the plugin 'forum' it depends on, found that it is not installed",
      "Plugin 'x': expected the plugin 'forum-extras' it depends on to boot, found that 'forum-extras' was rejected",
    ]);
  });

  it('does not require optional dependencies', () => {
    expect(messages([plugin({ id: 'microblog', dependsOn: { optional: ['wiki'] } })])).toEqual([]);
  });

  it('names the plugins of a dependency cycle', () => {
    const found = messages([
      plugin({ id: 'a', dependsOn: ['b'] }),
      plugin({ id: 'b', dependsOn: ['a'] }),
      plugin({ id: 'c' }),
    ]);
    expect(found).toEqual([
      "Plugin 'a': expected dependencies without a cycle, found the cycle a → b → a",
      "Plugin 'b': expected dependencies without a cycle, found the cycle b → a → b",
    ]);
  });

  it('refuses tables outside the plugin namespace', () => {
    expect(messages([plugin({ id: 'polls', entities: [InsideTable, OutsideTable] })])).toEqual([
      "Plugin 'polls': expected table names starting with 'polls_', found 'other_thing'",
    ]);
  });

  it('refuses permission, event and job names outside the plugin namespace', () => {
    const found = messages([
      plugin({
        id: 'polls',
        permissions: [
          definePermission('polls.poll.vote', { description: 'ok' }),
          definePermission('forum.topic.lock', { description: 'not ours' }),
        ],
        events: [defineEvent('wiki.page.updated')],
        jobs: [defineJob('pollsreindex')],
      }),
    ]);
    expect(found).toEqual([
      "Plugin 'polls': expected permission names of the form 'polls.<noun>.<verb>', found 'forum.topic.lock'",
      "Plugin 'polls': expected event names of the form 'polls.<noun>.<verb>', found 'wiki.page.updated'",
      "Plugin 'polls': expected job names of the form 'polls.<noun>.<verb>', found 'pollsreindex'",
    ]);
  });

  it('refuses a route with neither a permission nor @Public()', () => {
    expect(messages([plugin({ id: 'polls', controllers: [UnguardedController] })])).toEqual([
      "Plugin 'polls': expected route UnguardedController.open to name a permission (@RequirePermission) or be @Public(), found neither",
    ]);
  });

  it('refuses a navigation spacePath without a :space for the slug, naming it', () => {
    const nav = (spacePath: string) =>
      plugin({ id: 'polls', navigation: [{ label: 'Polls', path: '/polls', spacePath }] });
    expect(messages([nav('/polls/spaces/:space')])).toEqual([]);
    expect(messages([nav('/polls/spaces')])).toEqual([
      `Plugin 'polls': expected a navigation spacePath from the site root with ':space' where the space's slug goes, such as '/kudos/spaces/:space', found "/polls/spaces"`,
    ]);
    expect(messages([nav('polls/:space')])).toHaveLength(1);
  });

  it('refuses helpers outside the plugin namespace, or that are not functions', () => {
    expect(messages([plugin({ id: 'polls', helpers: { 'polls-percent': () => '' } })])).toEqual([]);
    expect(messages([plugin({ id: 'polls', helpers: { percent: () => '' } })])).toEqual([
      "Plugin 'polls': expected helpers named 'polls-<name>' (lower case, digits and hyphens), each a function, found 'percent'",
    ]);
    expect(messages([plugin({ id: 'polls', helpers: { 'polls-x': 'nope' as never } })])).toEqual([
      "Plugin 'polls': expected helpers named 'polls-<name>' (lower case, digits and hyphens), each a function, found 'polls-x' (string)",
    ]);
  });

  it('refuses a views folder that does not exist', () => {
    expect(messages([plugin({ id: 'polls', views: 'no-such-folder' })])).toEqual([
      expect.stringMatching(
        /^Plugin 'polls': expected the folder 'no-such-folder' in .*, found that it does not exist$/,
      ),
    ]);
  });
});
