/**
 * The plugin id grammar: lower case, starts with a letter, then letters, digits and dashes.
 *
 * @example
 * ```ts
 * PLUGIN_ID_PATTERN.test('forum'); // true
 * PLUGIN_ID_PATTERN.test('Forum'); // false
 * ```
 */
export const PLUGIN_ID_PATTERN = /^[a-z][a-z0-9-]*$/;

/**
 * The name grammar used for permissions, events and jobs: `<pluginId>.<noun>.<verb>`
 * (each part lower case; nouns and verbs may contain dashes).
 *
 * @example
 * ```ts
 * DOTTED_NAME_PATTERN.test('forum.topic.lock'); // true
 * ```
 */
export const DOTTED_NAME_PATTERN = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

/**
 * The prefix every table of a plugin starts with: the plugin id with dashes turned into
 * underscores, then an underscore.
 *
 * @example
 * ```ts
 * tablePrefix('kudos');      // 'kudos_'
 * tablePrefix('team-polls'); // 'team_polls_'
 * ```
 */
export function tablePrefix(pluginId: string): string {
  return `${pluginId.replace(/-/g, '_')}_`;
}
