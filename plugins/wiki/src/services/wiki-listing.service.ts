import { Injectable } from '@nestjs/common';
import { Contents, Database } from '@plein/sdk';
import { Brackets, type SelectQueryBuilder } from 'typeorm';
import { WikiLink } from '../entities/wiki-link.entity';
import { WikiPage } from '../entities/wiki-page.entity';
import type { Viewer } from './wiki-access.service';
import { ancestorPaths, pageUrl } from './wiki-names';

/** A page in a list or tree: what a link to it needs, never its body. */
export interface PageSummary {
  id: string;
  title: string;
  slug: string;
  path: string;
  /** The page's address, `/wiki/<space>/<path>`. */
  url: string;
  parentId: string | null;
  template: boolean;
  updatedAt: string;
}

export interface TreeNode extends PageSummary {
  children: TreeNode[];
}

/** The columns a summary needs: lists never load bodies or HTML. */
const SUMMARY_COLUMNS = [
  'p.id',
  'p.title',
  'p.titleKey',
  'p.slug',
  'p.path',
  'p.parentId',
  'p.isTemplate',
  'p.updatedAt',
  'p.spaceKey',
  'p.deletedAt',
];

/** Most nodes one tree answer holds; deeper parts load with `parentId`. */
export const TREE_LIMIT = 2000;

/** `!` escapes LIKE wildcards the same way on SQLite and MySQL (a backslash does not). */
const escapeLike = (text: string) => text.replace(/[!%_]/g, (c) => `!${c}`);

/**
 * Every listing of pages (tree, children, title search, backlinks, templates, the sidebar) goes
 * through `Contents.visibleTo(viewer)`: one join that leaves out hidden, deleted, others' held and
 * private-space pages, with no visibility code here.
 */
@Injectable()
export class WikiListingService {
  constructor(
    private readonly db: Database,
    private readonly contents: Contents,
  ) {}

  private async visible(viewer: Viewer): Promise<SelectQueryBuilder<WikiPage>> {
    const qb = this.db.repository(WikiPage).createQueryBuilder('p').select(SUMMARY_COLUMNS);
    return (await this.contents.visibleTo(viewer)).applyTo(qb, 'p.content_id');
  }

  summary(
    page: Pick<WikiPage, 'id' | 'title' | 'slug' | 'path' | 'parentId' | 'isTemplate' | 'updatedAt'>,
    spaceSlug: string | null,
  ): PageSummary {
    return {
      id: page.id,
      title: page.title,
      slug: page.slug,
      path: page.path,
      url: pageUrl(spaceSlug, page.path),
      parentId: page.parentId,
      template: Boolean(page.isTemplate),
      updatedAt: page.updatedAt.toISOString(),
    };
  }

  /**
   * The tree of a space (or of the subtree under `root`), titles in order. A page whose parent
   * the viewer cannot see (hidden, held, deleted) is listed at the top of the tree.
   */
  async tree(
    viewer: Viewer,
    spaceKey: string,
    spaceSlug: string | null,
    root: WikiPage | null = null,
  ): Promise<{ items: TreeNode[]; truncated: boolean }> {
    const qb = (await this.visible(viewer)).where('p.space_key = :key', { key: spaceKey });
    if (root) qb.andWhere('p.path LIKE :prefix', { prefix: `${root.path}/%` });
    const rows = await qb
      .orderBy('p.title_key', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .limit(TREE_LIMIT + 1)
      .getMany();
    const truncated = rows.length > TREE_LIMIT;
    const nodes = new Map(
      rows.slice(0, TREE_LIMIT).map((p) => [p.id, { ...this.summary(p, spaceSlug), children: [] as TreeNode[] }]),
    );
    const items: TreeNode[] = [];
    for (const node of nodes.values()) {
      const parent = node.parentId ? nodes.get(node.parentId) : undefined;
      if (parent) parent.children.push(node);
      else items.push(node);
    }
    return { items, truncated };
  }

  /** The spaces that hold pages the viewer may see (organisation-wide pages are `-`). */
  async spaceKeys(viewer: Viewer): Promise<string[]> {
    const qb = this.db.repository(WikiPage).createQueryBuilder('p').select('DISTINCT p.space_key', 'spaceKey');
    (await this.contents.visibleTo(viewer)).applyTo(qb, 'p.content_id');
    const rows: Array<{ spaceKey: string }> = await qb.limit(500).getRawMany();
    return rows.map((r) => r.spaceKey);
  }

  /** The direct children of a page that the viewer may see. */
  async children(viewer: Viewer, page: WikiPage, spaceSlug: string | null, limit = 200): Promise<PageSummary[]> {
    const rows = await (
      await this.visible(viewer)
    )
      .where('p.space_key = :key AND p.parent_id = :parent', { key: page.spaceKey, parent: page.id })
      .orderBy('p.title_key', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .limit(limit)
      .getMany();
    return rows.map((p) => this.summary(p, spaceSlug));
  }

  /**
   * The sidebar of a page: the top level, and the children of each ancestor and of the page
   * itself, so the path to the page is open and everything else is folded. One query.
   */
  async sidebar(viewer: Viewer, page: WikiPage, spaceSlug: string | null): Promise<TreeNode[]> {
    const ancestors = ancestorPaths(page.path);
    const openPaths = [...ancestors, page.path];
    const parents = (
      await this.db
        .repository(WikiPage)
        .find({ select: { id: true, path: true }, where: openPaths.map((path) => ({ spaceKey: page.spaceKey, path })) })
    ).map((p) => p.id);
    const qb = (await this.visible(viewer)).where('p.space_key = :key', { key: page.spaceKey });
    qb.andWhere(
      new Brackets((w) => {
        w.where('p.parent_id IS NULL');
        if (parents.length) w.orWhere('p.parent_id IN (:...parents)', { parents });
      }),
    );
    const rows = await qb.orderBy('p.title_key', 'ASC').addOrderBy('p.id', 'ASC').limit(TREE_LIMIT).getMany();
    const nodes = new Map(
      rows.map((p) => [
        p.id,
        {
          ...this.summary(p, spaceSlug),
          children: [] as TreeNode[],
          current: p.id === page.id,
          open: openPaths.includes(p.path),
        },
      ]),
    );
    const items: TreeNode[] = [];
    for (const node of nodes.values()) {
      const parent = node.parentId ? nodes.get(node.parentId) : undefined;
      if (parent) parent.children.push(node);
      else if (!node.parentId) items.push(node);
    }
    return items;
  }

  /** The visible pages of a space by path (the breadcrumb). */
  async breadcrumb(viewer: Viewer, page: WikiPage, spaceSlug: string | null): Promise<PageSummary[]> {
    const ancestors = ancestorPaths(page.path);
    if (!ancestors.length) return [];
    const rows = await (
      await this.visible(viewer)
    )
      .where('p.space_key = :key AND p.path IN (:...paths)', { key: page.spaceKey, paths: ancestors })
      .getMany();
    return rows.sort((a, b) => a.path.length - b.path.length).map((p) => this.summary(p, spaceSlug));
  }

  /** Titles containing `q` (case-insensitive), in one space or all, by title; keyset on (title, id). */
  async search(
    viewer: Viewer,
    options: { spaceKey?: string | null; q?: string | null; templatesOf?: string | null },
    limit: number,
    after: { t: string; id: string } | null,
  ): Promise<{ rows: WikiPage[]; more: boolean }> {
    const qb = await this.visible(viewer);
    qb.where('1 = 1');
    if (options.spaceKey) qb.andWhere('p.space_key = :key', { key: options.spaceKey });
    if (options.templatesOf)
      qb.andWhere("p.is_template = :yes AND (p.space_key = :tkey OR p.space_key = '-')", {
        yes: true,
        tkey: options.templatesOf,
      });
    const q = (options.q ?? '').trim().toLowerCase();
    if (q) qb.andWhere("p.title_key LIKE :q ESCAPE '!'", { q: `%${escapeLike(q)}%` });
    if (after) qb.andWhere('(p.title_key > :t OR (p.title_key = :t AND p.id > :id))', { t: after.t, id: after.id });
    const rows = await qb
      .orderBy('p.title_key', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .limit(limit + 1)
      .getMany();
    return { rows: rows.slice(0, limit), more: rows.length > limit };
  }

  /** Pages linking here ("what links here"), by title; keyset on (title, id). */
  async backlinks(
    viewer: Viewer,
    page: WikiPage,
    limit: number,
    after: { t: string; id: string } | null,
  ): Promise<{ rows: WikiPage[]; more: boolean }> {
    const qb = await this.visible(viewer);
    qb.innerJoin(WikiLink, 'l', 'l.from_page_id = p.id AND l.to_page_id = :target', { target: page.id }).where(
      'p.id <> :target',
      { target: page.id },
    );
    if (after) qb.andWhere('(p.title_key > :t OR (p.title_key = :t AND p.id > :id))', { t: after.t, id: after.id });
    const rows = await qb
      .orderBy('p.title_key', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .limit(limit + 1)
      .getMany();
    return { rows: rows.slice(0, limit), more: rows.length > limit };
  }

  /**
   * Deleted pages of a space, newest deletion first (the trash). Deleted items are in no
   * `visibleTo` listing, so this reads the wiki's own marks and checks each status with
   * `Contents.getMany`; only people who may restore pages see it.
   */
  async deleted(
    spaceKey: string,
    limit: number,
    after: { at: string; id: string } | null,
  ): Promise<{ rows: WikiPage[]; more: boolean }> {
    const qb = this.db
      .repository(WikiPage)
      .createQueryBuilder('p')
      .select([...SUMMARY_COLUMNS, 'p.contentId', 'p.deletedWith'])
      .where('p.space_key = :key AND p.deleted_at IS NOT NULL AND p.deleted_with = p.id', { key: spaceKey });
    if (after)
      qb.andWhere('(p.deleted_at < :at OR (p.deleted_at = :at AND p.id < :id))', {
        at: new Date(after.at),
        id: after.id,
      });
    const rows = await qb
      .orderBy('p.deleted_at', 'DESC')
      .addOrderBy('p.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    const statuses = await this.contents.getMany(rows.map((r) => r.contentId));
    return {
      rows: rows.slice(0, limit).filter((r) => statuses.get(r.contentId)?.status === 'deleted'),
      more: rows.length > limit,
    };
  }

  /**
   * Pages a page may move under: the space's visible pages outside its own subtree (a cycle).
   */
  async moveTargets(viewer: Viewer, page: WikiPage, spaceSlug: string | null): Promise<PageSummary[]> {
    const rows = await (
      await this.visible(viewer)
    )
      .where('p.space_key = :key AND p.id <> :id AND p.path NOT LIKE :prefix', {
        key: page.spaceKey,
        id: page.id,
        prefix: `${page.path}/%`,
      })
      .orderBy('p.path', 'ASC')
      .limit(TREE_LIMIT)
      .getMany();
    return rows.map((p) => this.summary(p, spaceSlug));
  }
}
