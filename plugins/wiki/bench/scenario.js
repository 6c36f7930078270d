// The wiki's part of `npm run bench` (tests/bench/README.md): reading a page as a person does, the
// rendered page with its tree, table of contents and chrome, against a raw `node:http` handler that
// reads the same row and sends the stored HTML in a bare page. Two pages are read: one with a single
// revision and one with many (10,000 by default), so the report shows whether history costs reads
// anything (it should not: the current text lives on the page row; revisions are another table).
'use strict';

const ORG = '-';
const BODY = [
  '# Travel policy',
  '',
  'How we travel for work: who books, what we pay for, and what to do when plans change.',
  '',
  '## Booking',
  '',
  'Book through the travel desk at least **two weeks** ahead. See [[Expenses]] for claims.',
  '',
  '## Trains before planes',
  '',
  'Under 700 km, take the train. Above it, fly economy; business class needs a director.',
  '',
  '## When plans change',
  '',
  '- Tell the travel desk the same day.',
  '- Keep receipts for anything you pay yourself.',
  '- Cancelled trips are not your loss: claim what you could not get back.',
  '',
  '| Distance | Mode | Approval |',
  '| --- | --- | --- |',
  '| < 700 km | train | none |',
  '| ≥ 700 km | plane | manager |',
].join('\n');

/** The API answers a page's address (`/wiki/-/a/b`); the row keeps the part after the space. */
const rowPath = (address) => address.replace(/^\/wiki\/-\//, '');

/**
 * What the raw side reads for a page: the row by its address (the unique index on (space_key, path)),
 * and its content record's visibility for anonymous readers, in one query.
 */
const PAGE_SQL =
  'SELECT p.id, p.title, p.html, p.revision, p.updated_at FROM wiki_page p ' +
  "WHERE p.space_key = ? AND p.path = ? AND p.deleted_at IS NULL AND EXISTS (SELECT 1 FROM core_content c WHERE c.id = p.content_id AND c.status = 'published' " +
  "AND (c.space_id IS NULL OR EXISTS (SELECT 1 FROM core_space s WHERE s.id = c.space_id AND s.visibility = 'public')))";

const escapeHtml = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

module.exports = {
  name: 'wiki',
  plugin: '@plein/plugin-wiki',
  defaults: { pages: 30, revisions: 10_000 },

  /** Pages through the API (the wiki's own code makes their rows), then history in bulk SQL. */
  async seed(ctx, opts) {
    const create = (title, parentId) =>
      ctx.api('POST', '/api/v1/wiki/pages', { title, body: BODY.replace('Travel policy', title), parentId });
    const handbook = await create('Bench handbook');
    for (let i = 1; i <= opts.pages; i++) {
      await create(`Bench topic ${i}`, handbook.id);
      ctx.progress('pages', i, opts.pages);
    }
    const single = await create('Travel policy', handbook.id);
    const historic = await create('Travel history', handbook.id);

    // Revisions 2..N of 'Travel history', as if it had been saved N times; the page row points at
    // the newest, whose text is what the page shows.
    const [row] = await ctx.dataSource.query(
      'SELECT title, body, html, toc, size, author_id FROM wiki_page WHERE id = ?',
      [historic.id],
    );
    const now = Date.now();
    const revisions = [];
    for (let n = 2; n <= opts.revisions; n++) {
      revisions.push([
        historic.id,
        n,
        row.title,
        row.body,
        row.html,
        row.toc,
        `Edit ${n}`,
        row.size,
        row.author_id,
        null,
        ctx.sqlDate(now - (opts.revisions - n) * 60_000),
      ]);
    }
    const columns = [
      'page_id',
      'number',
      'title',
      'body',
      'html',
      'toc',
      'summary',
      'size',
      'author_id',
      'restored_from',
      'created_at',
    ];
    await ctx.dataSource.transaction(async (m) => {
      for (let i = 0; i < revisions.length; i += 2000) {
        await ctx.bulkInsert(m, 'wiki_revision', columns, revisions.slice(i, i + 2000), 200);
        ctx.progress('revisions', Math.min(i + 2000, revisions.length) + 1, opts.revisions);
      }
      await m.query('UPDATE wiki_page SET revision = ?, published_revision = ? WHERE id = ?', [
        opts.revisions,
        opts.revisions,
        historic.id,
      ]);
    });
    const [{ n }] = await ctx.dataSource.query('SELECT COUNT(*) AS n FROM wiki_revision WHERE page_id = ?', [
      historic.id,
    ]);
    return {
      pages: opts.pages + 3,
      single: { id: single.id, path: single.path, revisions: 1 },
      historic: { id: historic.id, path: historic.path, revisions: Number(n) },
    };
  },

  pairs(seeded) {
    const read = (page, label) => ({
      name: `page read, ${label}`,
      plein: page.path,
      raw: `/wiki-page-${page.revisions}`,
      sameBody: false,
      // Both answers carry the page's rendered text.
      mustContain: ['id="when-plans-change"'],
      async handler(ctx) {
        const [row] = await ctx.db.all(PAGE_SQL, [ORG, rowPath(page.path)]);
        if (!row) throw Object.assign(new Error('not found'), { status: 404 });
        return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(row.title)}</title></head><body><main><h1>${escapeHtml(row.title)}</h1><article>${row.html}</article><p>Revision ${row.revision}</p></main></body></html>`;
      },
    });
    return [
      read(seeded.single, '1 revision'),
      read(seeded.historic, `${seeded.historic.revisions.toLocaleString('en-US')} revisions`),
    ];
  },
};
