import { DEFINITION_KIND } from './metadata';

/**
 * A kind of user content a plugin owns (a wiki page, a forum post). Declaring it lets core's
 * cross-plugin features (moderation, search, activity) handle the plugin's items.
 *
 * @example
 * ```ts
 * const kudo: ContentTypeDefinition = defineContentType('kudos.kudo', { displayName: 'Kudo', urlPattern: '/kudos/{id}' });
 * ```
 */
export interface ContentTypeDefinition {
  readonly [DEFINITION_KIND]: 'content-type';
  /** `<pluginId>.<noun>`, e.g. `forum.post`. */
  readonly name: string;
  readonly displayName: string;
  /** Where a person reads one item; `{id}` is replaced by the plugin's item id. */
  readonly urlPattern: string;
}

/**
 * Declares a content type. List it in the plugin's `contentTypes`.
 *
 * @example
 * ```ts
 * export const kudoContent = defineContentType('kudos.kudo', { displayName: 'Kudo', urlPattern: '/kudos/{id}' });
 * ```
 */
export function defineContentType(
  name: string,
  options: { displayName: string; urlPattern: string },
): ContentTypeDefinition {
  return Object.freeze({
    [DEFINITION_KIND]: 'content-type' as const,
    name,
    displayName: options.displayName,
    urlPattern: options.urlPattern,
  });
}
