import { randomUUID } from 'node:crypto';
import { ForbiddenException, Injectable } from '@nestjs/common';
import {
  Clock,
  Conflict,
  Contents,
  Database,
  EventBus,
  InvalidInput,
  type ContentRecord,
  type SubmittedContent,
} from '@plein/sdk';
import { In } from 'typeorm';
import { MicroblogEdit } from '../entities/microblog-edit.entity';
import { MicroblogPost, type PostKind } from '../entities/microblog-post.entity';
import { MicroblogTag } from '../entities/microblog-tag.entity';
import {
  microblogPostContent,
  microblogPostCreated,
  microblogPostDeleted,
  microblogPostPinned,
  microblogPostUpdated,
  microblogQuestionAnswered,
  type MicroblogPostEventPayload,
} from '../events';
import { microblogPermissions } from '../permissions';
import { isId, MicroblogAccessService, signedIn, type PostAccess, type Viewer } from './microblog-access.service';
import { MicroblogNotifyService, postUrl } from './microblog-notify.service';
import { MicroblogRenderService, type RenderedPost } from './microblog-render.service';
import { MicroblogSettingsService } from './microblog-settings.service';
import { checkBody, invalid } from './post-text';

export interface CreatePostInput {
  body: unknown;
  /** A space id or slug; absent for an organisation-wide post (a reply takes its parent's space). */
  spaceId?: string | null;
  replyToId?: string | null;
  kind?: PostKind | null;
}

export interface UpdatePostInput {
  body: unknown;
  /** The version the text was based on; a stale one answers 409. */
  version?: number | null;
}

/** Hashtags indexed per post for the tag streams (more still link, they are not listed). */
const MAX_TAGS = 50;

/** Thrown inside the save transaction when the conditional update found another version. */
class StaleVersion extends Error {}

/**
 * Writing posts: create (posts, questions, replies), edit with history (no lost updates), delete,
 * accept an answer, pin. Every write goes through the content contract (`Contents.submit` and
 * `Contents.edit` run the gates; `Contents.setStatus` deletes) inside one transaction with the
 * microblog's own rows, so events and notifications leave only after the commit.
 */
@Injectable()
export class MicroblogPostsService {
  constructor(
    private readonly db: Database,
    private readonly contents: Contents,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly settings: MicroblogSettingsService,
    private readonly access: MicroblogAccessService,
    private readonly renderer: MicroblogRenderService,
    private readonly notify: MicroblogNotifyService,
  ) {}

  // ----- create

  async create(viewer: Viewer, input: CreatePostInput): Promise<PostAccess> {
    const author = signedIn(viewer);
    const { maxLength } = await this.settings.get();
    const body = checkBody(input.body, maxLength);
    const kind: PostKind = input.kind ?? 'post';
    if (kind !== 'post' && kind !== 'question') throw invalid('kind', "must be 'post' or 'question'");
    let spaceId: string | null = null;
    let parent: MicroblogPost | null = null;
    if (input.replyToId !== undefined && input.replyToId !== null && input.replyToId !== '') {
      parent = await this.replyTarget(author, input.replyToId);
      if (kind === 'question') throw invalid('kind', 'a reply cannot be a question; ask it as a new post');
      spaceId = parent.spaceId;
      if (input.spaceId) {
        const space = await this.access.space(author, input.spaceId);
        if (space.id !== spaceId) throw invalid('spaceId', 'a reply is posted in the space of the post it replies to');
      }
    } else if (input.spaceId) {
      spaceId = (await this.access.space(author, input.spaceId)).id;
    }
    await this.access.assertInSpace(author, microblogPermissions.create, spaceId);
    return this.db.transaction(async () => {
      const submitted = await this.gated(() =>
        this.contents.submit({ type: microblogPostContent, authorId: author.id, spaceId, text: body }),
      );
      const rendered = await this.renderer.render(submitted.text);
      const now = submitted.record.createdAt;
      const post: MicroblogPost = {
        id: randomUUID(),
        contentId: submitted.record.id,
        authorId: author.id,
        editorId: author.id,
        spaceId,
        kind,
        replyToId: parent?.id ?? null,
        isReply: parent !== null,
        body: submitted.text,
        html: rendered.html,
        mentions: JSON.stringify(rendered.mentions.map((u) => u.handle)),
        tags: JSON.stringify(rendered.tags),
        version: 1,
        answered: false,
        acceptedAnswerId: null,
        answeredAt: null,
        answeredBy: null,
        pinnedAt: null,
        pinnedUntil: null,
        pinnedBy: null,
        createdAt: now,
        updatedAt: now,
        editedAt: null,
        notifiedAt: null,
        deletedAt: null,
      };
      await this.db.repository(MicroblogPost).insert(post);
      await this.replaceTags(post, rendered);
      await this.notify.recordMentions(
        post.id,
        rendered.mentions.map((u) => u.id),
      );
      await this.events.publish(microblogPostCreated, {
        ...this.payload(post, submitted.record, author.id),
        mentions: rendered.mentions.map((u) => u.handle),
        tags: rendered.tags,
      });
      // Mentioned people and the author replied to are told by the `content.published` handler,
      // once the post is published (now, or when a moderator approves it).
      return { post, record: submitted.record };
    });
  }

  /** The post a reply answers: it must exist and be visible to the replier (422 naming `replyToId` otherwise). */
  private async replyTarget(viewer: Viewer, id: unknown): Promise<MicroblogPost> {
    const unknown = () => invalid('replyToId', 'no such post, or you cannot see it');
    if (!isId(id)) throw unknown();
    const post = await this.db.repository(MicroblogPost).findOneBy({ id });
    if (!post) throw unknown();
    const record = await this.access.canRead(viewer, post);
    if (!record || record.status !== 'published') throw unknown();
    return post;
  }

  /** A gate's rejection names core's `text`; here the field is `body`. */
  private async gated(work: () => Promise<SubmittedContent>): Promise<SubmittedContent> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof InvalidInput)
        throw new InvalidInput(
          error.errors.map((e) => (e.field === 'text' ? { ...e, field: 'body' } : e)),
          (error.getResponse() as { detail?: string }).detail,
        );
      throw error;
    }
  }

  // ----- edit

  /**
   * Saves new text as a new version and keeps the former one in the history. The check that the
   * version is still current and the write are one conditional UPDATE (`… WHERE id = ? AND
   * version = ?`): of two edits from the same version exactly one wins, the other answers 409.
   */
  async update(viewer: Viewer, id: string, input: UpdatePostInput): Promise<PostAccess> {
    const editor = signedIn(viewer);
    const { post } = await this.access.read(editor, id);
    await this.access.assert(editor, microblogPermissions.edit, post);
    const { maxLength } = await this.settings.get();
    const body = checkBody(input.body, maxLength);
    const base = input.version ?? post.version;
    if (base !== post.version) throw this.conflict(post, base);
    if (body === post.body) return { post, record: await this.access.visibleRecord(editor, post) };
    try {
      return await this.db.transaction(async () => {
        const now = this.clock.now();
        const claimed = await this.db
          .repository(MicroblogPost)
          .createQueryBuilder()
          .update(MicroblogPost)
          .set({ version: base + 1, editorId: editor.id, editedAt: now, updatedAt: now })
          .where('id = :id AND version = :base', { id: post.id, base })
          .execute();
        if (claimed.affected !== 1) throw new StaleVersion();
        const edited = await this.gated(() => this.contents.edit(post.contentId, { editorId: editor.id, text: body }));
        const rendered = await this.renderer.render(edited.text);
        await this.db.repository(MicroblogEdit).insert({
          postId: post.id,
          version: base,
          body: post.body,
          html: post.html,
          editorId: post.editorId,
          createdAt: post.editedAt ?? post.createdAt,
          replacedAt: now,
        });
        const saved: MicroblogPost = {
          ...post,
          version: base + 1,
          editorId: editor.id,
          editedAt: now,
          updatedAt: now,
          body: edited.text,
          html: rendered.html,
          mentions: JSON.stringify(rendered.mentions.map((u) => u.handle)),
          tags: JSON.stringify(rendered.tags),
        };
        await this.db
          .repository(MicroblogPost)
          .update({ id: post.id }, { body: saved.body, html: saved.html, mentions: saved.mentions, tags: saved.tags });
        await this.replaceTags(saved, rendered);
        await this.notify.recordMentions(
          post.id,
          rendered.mentions.map((u) => u.id),
        );
        await this.events.publish(microblogPostUpdated, {
          ...this.payload(saved, edited.record, editor.id),
          version: saved.version,
        });
        return { post: saved, record: edited.record };
      });
    } catch (error) {
      if (error instanceof StaleVersion) throw this.conflict(await this.access.post(post.id), base);
      throw error;
    }
  }

  private conflict(current: MicroblogPost, base: number): Conflict {
    return new Conflict(
      `The post changed since version ${base}: it is at version ${current.version} now. Edit the current text and save again with version ${current.version}.`,
      {
        current: { version: current.version, body: current.body },
        errors: [{ field: 'version', message: 'is not the current version' }],
      },
    );
  }

  // ----- delete

  async delete(viewer: Viewer, id: string): Promise<void> {
    const actor = signedIn(viewer);
    const { post, record } = await this.access.read(actor, id);
    await this.access.assert(actor, microblogPermissions.delete, post);
    await this.db.transaction(async () => {
      const now = this.clock.now();
      await this.contents.setStatus(post.contentId, 'deleted', { actorId: actor.id });
      await this.db.repository(MicroblogPost).update({ id: post.id }, { deletedAt: now, updatedAt: now });
      // An accepted answer that is deleted no longer answers its question.
      if (post.replyToId)
        await this.db
          .repository(MicroblogPost)
          .update(
            { id: post.replyToId, acceptedAnswerId: post.id },
            { answered: false, acceptedAnswerId: null, answeredAt: null, answeredBy: null },
          );
      await this.events.publish(microblogPostDeleted, this.payload(post, record, actor.id));
    });
  }

  // ----- questions

  /** Marks `replyId` as the accepted answer of the question `id` (its author or a moderator in its space). */
  async accept(viewer: Viewer, id: string, replyId: unknown): Promise<PostAccess> {
    const actor = signedIn(viewer);
    const { post: question, record } = await this.access.read(actor, id);
    if (question.kind !== 'question') throw new Conflict('Only a question has an accepted answer; this is a post');
    await this.assertMayAnswer(actor, question);
    const notAnswer = () => invalid('replyId', 'must be a published reply to this question');
    if (!isId(replyId)) throw notAnswer();
    const answer = await this.db.repository(MicroblogPost).findOneBy({ id: replyId });
    if (!answer || answer.replyToId !== question.id || answer.deletedAt) throw notAnswer();
    const answerRecord = await this.access.canRead(actor, answer);
    if (!answerRecord || answerRecord.status !== 'published') throw notAnswer();
    if (question.acceptedAnswerId === answer.id) return { post: question, record };
    const now = this.clock.now();
    const saved: MicroblogPost = {
      ...question,
      answered: true,
      acceptedAnswerId: answer.id,
      answeredAt: now,
      answeredBy: actor.id,
      updatedAt: now,
    };
    await this.db.transaction(async () => {
      await this.db.repository(MicroblogPost).update(
        { id: question.id },
        {
          answered: true,
          acceptedAnswerId: answer.id,
          answeredAt: now,
          answeredBy: actor.id,
          updatedAt: now,
        },
      );
      await this.events.publish(microblogQuestionAnswered, {
        ...this.payload(saved, record, actor.id),
        answerId: answer.id,
        answerAuthorId: answer.authorId,
      });
      await this.notify.notifyAccepted(question, answer, actor);
    });
    return { post: saved, record };
  }

  /** Withdraws the accepted answer: the question is unanswered again. */
  async unaccept(viewer: Viewer, id: string): Promise<PostAccess> {
    const actor = signedIn(viewer);
    const { post: question, record } = await this.access.read(actor, id);
    if (question.kind !== 'question') throw new Conflict('Only a question has an accepted answer; this is a post');
    await this.assertMayAnswer(actor, question);
    if (!question.acceptedAnswerId) return { post: question, record };
    const now = this.clock.now();
    const saved: MicroblogPost = {
      ...question,
      answered: false,
      acceptedAnswerId: null,
      answeredAt: null,
      answeredBy: null,
      updatedAt: now,
    };
    await this.db.transaction(async () => {
      await this.db
        .repository(MicroblogPost)
        .update(
          { id: question.id },
          { answered: false, acceptedAnswerId: null, answeredAt: null, answeredBy: null, updatedAt: now },
        );
      await this.events.publish(microblogQuestionAnswered, {
        ...this.payload(saved, record, actor.id),
        answerId: null,
        answerAuthorId: null,
      });
    });
    return { post: saved, record };
  }

  async mayAnswer(viewer: Viewer, question: MicroblogPost): Promise<boolean> {
    if (!viewer || question.kind !== 'question') return false;
    return (
      viewer.id === question.authorId || this.access.canInSpace(viewer, microblogPermissions.moderate, question.spaceId)
    );
  }

  private async assertMayAnswer(viewer: NonNullable<Viewer>, question: MicroblogPost): Promise<void> {
    if (!(await this.mayAnswer(viewer, question)))
      throw new ForbiddenException('Only the person who asked, or a moderator of its space, accepts an answer');
  }

  // ----- pins

  /** Pins a post that starts a thread in a space, until `until` (null: until unpinned). */
  async pin(viewer: Viewer, id: string, until: Date | null): Promise<PostAccess> {
    const actor = signedIn(viewer);
    const { post, record } = await this.access.read(actor, id);
    if (!post.spaceId) throw invalid('id', 'only posts in a space can be pinned');
    if (post.isReply) throw invalid('id', 'only a post that starts a thread can be pinned, not a reply');
    await this.access.assertInSpace(actor, microblogPermissions.pin, post.spaceId);
    const now = this.clock.now();
    if (until && until.getTime() <= now.getTime()) throw invalid('until', 'must be in the future');
    const saved: MicroblogPost = { ...post, pinnedAt: now, pinnedUntil: until, pinnedBy: actor.id, updatedAt: now };
    await this.db.transaction(async () => {
      await this.db
        .repository(MicroblogPost)
        .update({ id: post.id }, { pinnedAt: now, pinnedUntil: until, pinnedBy: actor.id, updatedAt: now });
      await this.events.publish(microblogPostPinned, {
        ...this.payload(saved, record, actor.id),
        until: until?.toISOString() ?? null,
        pinned: true,
      });
    });
    return { post: saved, record };
  }

  async unpin(viewer: Viewer, id: string): Promise<PostAccess> {
    const actor = signedIn(viewer);
    const { post, record } = await this.access.read(actor, id);
    await this.access.assertInSpace(actor, microblogPermissions.pin, post.spaceId);
    if (!post.pinnedAt) return { post, record };
    const now = this.clock.now();
    const saved: MicroblogPost = { ...post, pinnedAt: null, pinnedUntil: null, pinnedBy: null, updatedAt: now };
    await this.db.transaction(async () => {
      await this.db
        .repository(MicroblogPost)
        .update({ id: post.id }, { pinnedAt: null, pinnedUntil: null, pinnedBy: null, updatedAt: now });
      await this.events.publish(microblogPostPinned, {
        ...this.payload(saved, record, actor.id),
        until: null,
        pinned: false,
      });
    });
    return { post: saved, record };
  }

  // ----- content events (a moderator's decision, or core publishing a new post)

  /** A post became visible: tell those mentioned and the author replied to (each once). */
  async published(contentId: string): Promise<void> {
    const post = await this.db.repository(MicroblogPost).findOneBy({ contentId });
    if (!post || post.deletedAt || (await this.contents.get(contentId))?.status !== 'published') return;
    await this.notify.notifyMentions(post);
    await this.notify.notifyReply(post);
  }

  // ----- helpers

  private async replaceTags(post: MicroblogPost, rendered: RenderedPost): Promise<void> {
    const tags = this.db.repository(MicroblogTag);
    const wanted = rendered.tags.slice(0, MAX_TAGS);
    const existing = (await tags.findBy({ postId: post.id })).map((t) => t.tag);
    const gone = existing.filter((t) => !wanted.includes(t));
    if (gone.length) await tags.delete({ postId: post.id, tag: In(gone) });
    const fresh = wanted.filter((t) => !existing.includes(t));
    if (fresh.length) await tags.insert(fresh.map((tag) => ({ postId: post.id, tag, createdAt: post.createdAt })));
  }

  private payload(post: MicroblogPost, record: ContentRecord, actorId: string): MicroblogPostEventPayload {
    return {
      postId: post.id,
      contentId: post.contentId,
      spaceId: post.spaceId,
      authorId: post.authorId,
      kind: post.kind,
      replyToId: post.replyToId,
      status: record.status === 'pending' ? 'pending' : 'published',
      url: postUrl(post.id),
      actorId,
    };
  }
}
