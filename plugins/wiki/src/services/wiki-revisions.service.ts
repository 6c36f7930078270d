import { Injectable, NotFoundException } from '@nestjs/common';
import { Database, Users, type UserRef } from '@plein/sdk';
import { LessThanOrEqual } from 'typeorm';
import { WikiRevision } from '../entities/wiki-revision.entity';
import type { PageAccess } from './wiki-access.service';
import { lineHunks, type DiffHunk } from './wiki-diff';
import { invalid } from './wiki-names';

/** One revision in the history list (no text). */
export interface RevisionSummary {
  revision: number;
  title: string;
  summary: string;
  size: number;
  author: UserRef | null;
  restoredFrom: number | null;
  createdAt: string;
}

export interface RevisionView extends RevisionSummary {
  pageId: string;
  body: string;
  html: string;
  toc: Array<{ level: number; text: string; id: string }>;
}

export interface PageDiff {
  from: number;
  to: number;
  /** Line hunks of the bodies (`diff`'s structuredPatch, 3 lines of context). */
  hunks: DiffHunk[];
  /** The titles at both revisions (a rename shows here, not in the hunks). */
  titles: { from: string; to: string };
  revisions: { from: RevisionSummary; to: RevisionSummary };
}

/**
 * History: the revisions of a page, one revision, and the diff between any two. A viewer who may
 * only see the last published revision (a later edit waits for review) sees the history up to it.
 */
@Injectable()
export class WikiRevisionsService {
  constructor(
    private readonly db: Database,
    private readonly users: Users,
  ) {}

  /** Newest first; keyset on the revision number. */
  async history(
    access: PageAccess,
    limit: number,
    before: number | null,
  ): Promise<{ items: RevisionSummary[]; more: boolean }> {
    const newest = before === null ? access.visibleRevision : Math.min(before - 1, access.visibleRevision);
    const rows = await this.db.repository(WikiRevision).find({
      select: {
        pageId: true,
        number: true,
        title: true,
        summary: true,
        size: true,
        authorId: true,
        restoredFrom: true,
        createdAt: true,
      },
      where: { pageId: access.page.id, number: LessThanOrEqual(newest) },
      order: { number: 'DESC' },
      take: limit + 1,
    });
    const page = rows.slice(0, limit);
    return { items: await this.summaries(page), more: rows.length > limit };
  }

  async one(access: PageAccess, number: number): Promise<RevisionView> {
    const row = await this.row(access, number);
    const [summary] = await this.summaries([row]);
    return {
      ...summary,
      pageId: row.pageId,
      body: row.body,
      html: row.html,
      toc: JSON.parse(row.toc) as RevisionView['toc'],
    };
  }

  /** A revision the viewer may see, or 404. */
  async row(access: PageAccess, number: number, field = 'revision'): Promise<WikiRevision> {
    if (!Number.isInteger(number) || number < 1) throw invalid(field, 'must be a whole number of 1 or more');
    const row =
      number <= access.visibleRevision
        ? await this.db.repository(WikiRevision).findOneBy({ pageId: access.page.id, number })
        : null;
    if (!row) throw new NotFoundException(`Page '${access.page.id}' has no revision ${number}`);
    return row;
  }

  /** `from` defaults to the revision before `to`; `to` to the newest the viewer may see. */
  async diff(access: PageAccess, from: number | null, to: number | null): Promise<PageDiff> {
    const toNumber = to ?? access.visibleRevision;
    const fromNumber = from ?? Math.max(1, toNumber - 1);
    const [a, b] = await Promise.all([this.row(access, fromNumber, 'from'), this.row(access, toNumber, 'to')]);
    const [sa, sb] = await this.summaries([a, b]);
    return {
      from: fromNumber,
      to: toNumber,
      hunks: lineHunks(a.body, b.body),
      titles: { from: a.title, to: b.title },
      revisions: { from: sa, to: sb },
    };
  }

  private async summaries(rows: WikiRevision[]): Promise<RevisionSummary[]> {
    const people = await this.users.findByIds(rows.map((r) => r.authorId));
    return rows.map((r) => ({
      revision: r.number,
      title: r.title,
      summary: r.summary,
      size: r.size,
      author: people.get(r.authorId) ?? null,
      restoredFrom: r.restoredFrom,
      createdAt: r.createdAt.toISOString(),
    }));
  }
}
