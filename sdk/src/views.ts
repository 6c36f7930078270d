import { SetMetadata } from '@nestjs/common';
import { METADATA } from './metadata';

/**
 * What a page handler decorated with {@link Render} may return besides its view data.
 *
 * @example
 * ```ts
 * return { title: 'Kudos', kudos } satisfies PageData;
 * ```
 */
export interface PageData {
  /** The page title shown in the browser tab and the heading. */
  title?: string;
  [key: string]: unknown;
}

/**
 * Renders a route's return value with a Handlebars view, inside the active theme's layout.
 * A theme overrides `kudos/list` with `themes/<theme>/plugins/kudos/list.hbs`.
 *
 * @example
 * ```ts
 * @Get()
 * @Public()
 * @Render('kudos/list')
 * async list(): Promise<PageData> { return { title: 'Kudos', kudos: await this.kudos.latest() }; }
 * ```
 */
export function Render(view: string): MethodDecorator {
  return SetMetadata(METADATA.render, view);
}

/**
 * Renders views outside a request (mail bodies, fragments).
 *
 * @example
 * ```ts
 * constructor(private readonly views: Views) {}
 * const html = await this.views.render('kudos/card', { kudo });
 * ```
 */
export abstract class Views {
  /**
   * Renders `view` (`<pluginId>/<name>`) with `data`, without a layout.
   *
   * @example
   * ```ts
   * await views.render('kudos/card', { kudo: { message: 'Thanks!' } });
   * ```
   */
  abstract render(view: string, data: object): Promise<string>;
}
