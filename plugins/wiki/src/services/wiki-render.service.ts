import { Injectable } from '@nestjs/common';
import { Database, renderMarkdown, Spaces, Users, type UserRef } from '@plein/sdk';
import { In, IsNull } from 'typeorm';
import { WikiAlias } from '../entities/wiki-alias.entity';
import { ORG_SPACE_KEY, WikiPage } from '../entities/wiki-page.entity';
import { pageUrl, spaceSegment, titleKey } from './wiki-names';

/** A page's Markdown, rendered once on save. */
export interface RenderedPage {
  /** Sanitised HTML, stored and printed as it is on every read. */
  html: string;
  headings: Array<{ level: number; text: string; id: string }>;
  /** Each distinct `[[link]]` target, folded, with the page it resolved to (null: missing). */
  links: Array<{ key: string; pageId: string | null }>;
  /** The people `@mentioned` who exist, in order of first mention. */
  mentions: UserRef[];
}

/** Most distinct `@handles` of one page that are looked up (and linked, and notified). */
export const MAX_MENTIONS = 50;

/** Where a mention links: the person's profile. */
export const profileUrl = (handle: string) => `/users/${encodeURIComponent(handle)}`;

/**
 * Renders page bodies through the SDK's renderMarkdown (CommonMark, raw HTML off, sanitised) and
 * resolves `[[Page title]]` links within the page's space: a live page with that title (or a
 * former title, or a path written `[[handbook/onboarding]]`) links to its path; anything else
 * links to the create form with the title filled in, and carries the class `missing`.
 * `@handle` of someone who exists links to their profile; an unknown handle stays text.
 */
@Injectable()
export class WikiRenderService {
  constructor(
    private readonly db: Database,
    private readonly spaces: Spaces,
    private readonly users: Users,
  ) {}

  /** The slug of the space a page lives in (null for organisation-wide pages). */
  async spaceSlug(spaceKey: string): Promise<string | null> {
    if (spaceKey === ORG_SPACE_KEY) return null;
    return (await this.spaces.find(spaceKey))?.slug ?? null;
  }

  async render(spaceKey: string, body: string): Promise<RenderedPage> {
    // The first pass only collects link targets and handles; the resolvers of the second are synchronous.
    const first = renderMarkdown(body, {
      wikiLink: () => ({ href: '#', exists: true }),
      mention: () => '#',
      anchors: false,
    });
    const targets = first.wikiLinks;
    const resolved = await this.resolve(spaceKey, targets);
    const slug = await this.spaceSlug(spaceKey);
    const known = await this.people(first.mentions);
    const rendered = renderMarkdown(body, {
      mention: (handle) => {
        const user = known.get(handle);
        return user ? profileUrl(user.handle) : null;
      },
      wikiLink: (target) => {
        const page = resolved.get(titleKey(target));
        if (page) return { href: pageUrl(slug, page.path), exists: true };
        return {
          href: `/wiki/p/new?space=${encodeURIComponent(spaceSegment(slug))}&title=${encodeURIComponent(target)}`,
          exists: false,
        };
      },
    });
    const links = [...new Set(targets.map(titleKey))].map((key) => ({ key, pageId: resolved.get(key)?.id ?? null }));
    return {
      html: rendered.html,
      headings: rendered.headings,
      links,
      mentions: rendered.mentions.map((h) => known.get(h)).filter((u): u is UserRef => Boolean(u)),
    };
  }

  /** The people with these handles (lower case) who exist, by handle; the first {@link MAX_MENTIONS} are looked up. */
  async people(handles: readonly string[]): Promise<Map<string, UserRef>> {
    const known = new Map<string, UserRef>();
    for (const handle of handles.slice(0, MAX_MENTIONS)) {
      const user = await this.users.findByHandle(handle);
      if (user) known.set(handle, user);
    }
    return known;
  }

  /** Link targets (as written) → the live page each names, in three queries at most. */
  async resolve(spaceKey: string, targets: readonly string[]): Promise<Map<string, { id: string; path: string }>> {
    const keys = [...new Set(targets.map(titleKey))].filter(Boolean);
    const found = new Map<string, { id: string; path: string }>();
    if (!keys.length) return found;
    const pages = this.db.repository(WikiPage);
    const byTitle = await pages.find({
      select: { id: true, path: true, titleKey: true, createdAt: true },
      where: { spaceKey, titleKey: In(keys), deletedAt: IsNull() },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    for (const p of byTitle) if (!found.has(p.titleKey)) found.set(p.titleKey, { id: p.id, path: p.path });
    const paths = keys.filter((k) => !found.has(k) && /^[a-z0-9-]+(\/[a-z0-9-]+)+$/.test(k));
    if (paths.length) {
      for (const p of await pages.find({
        select: { id: true, path: true },
        where: { spaceKey, path: In(paths), deletedAt: IsNull() },
      }))
        found.set(p.path, { id: p.id, path: p.path });
    }
    const rest = keys.filter((k) => !found.has(k));
    if (rest.length) {
      const aliases = await this.db.repository(WikiAlias).find({ where: { spaceKey, kind: 'title', key: In(rest) } });
      if (aliases.length) {
        const live = await pages.find({
          select: { id: true, path: true },
          where: { id: In(aliases.map((a) => a.pageId)), deletedAt: IsNull() },
        });
        const byId = new Map(live.map((p) => [p.id, p]));
        for (const a of aliases) {
          const page = byId.get(a.pageId);
          if (page) found.set(a.key, { id: page.id, path: page.path });
        }
      }
    }
    return found;
  }
}
