import { Injectable } from '@nestjs/common';
import { Spaces } from '@plein/sdk';
import type { MicroblogPost } from '../entities/microblog-post.entity';
import { microblogPermissions } from '../permissions';
import { MicroblogAccessService, type Viewer } from '../services/microblog-access.service';
import { MicroblogPostsService } from '../services/microblog-posts.service';
import { MicroblogSettingsService } from '../services/microblog-settings.service';
import type { StreamPage } from '../services/microblog-streams.service';
import { MicroblogViewService, type PostView } from '../services/microblog-view.service';
import { REACTIONS } from '../services/post-text';
import { streamCursor } from '../services/stream-cursor';
import { emptyForm, type MicroblogForm } from './page-support';

/** What the viewer may do with one post (the buttons shown). */
export interface PostAbilities {
  reply: boolean;
  react: boolean;
  edit: boolean;
  delete: boolean;
  pin: boolean;
  /** Accept this reply as the answer to the question shown above it. */
  accept: boolean;
  /** Withdraw this accepted answer. */
  unaccept: boolean;
}

/** A post as a page shows it: its view, the viewer's abilities and the reaction buttons. */
export interface PostCard extends PostView {
  can: PostAbilities;
  buttons: Array<{ emoji: string; name: string; count: number; mine: boolean }>;
  /** This reply is the accepted answer of the question it replies to. */
  accepted: boolean;
  /** The address of the page the card is on, to come back to after a button. */
  returnTo: string;
}

/** The composer: a form for a new post, question or reply. */
export interface Composer {
  prefix: string;
  form: MicroblogForm;
  limit: number;
  returnTo: string;
  /** Replying to this post (the form then has no space or kind to choose). */
  replyTo: { id: string; author: string | null } | null;
  /** Posting in this space (a space's stream). */
  space: { id: string; slug: string; name: string } | null;
  /** Spaces to choose from when neither is fixed: organisation-wide first. */
  spaces: Array<{ value: string; name: string | null; selected: boolean }>;
  question: boolean;
}

/** Builds what the microblog's pages show around posts: cards with buttons, composers, paging links. */
@Injectable()
export class MicroblogPageData {
  constructor(
    private readonly views: MicroblogViewService,
    private readonly access: MicroblogAccessService,
    private readonly posts: MicroblogPostsService,
    private readonly settings: MicroblogSettingsService,
    private readonly spaces: Spaces,
  ) {}

  /**
   * Cards for posts, with what the viewer may do to each. Permission checks are asked once per
   * space and ownership, not once per post. `question`: the question these posts reply to (the
   * thread page), so its author and moderators get "Accept as answer".
   */
  async cards(
    viewer: Viewer,
    posts: readonly MicroblogPost[],
    returnTo: string,
    question: MicroblogPost | null = null,
  ): Promise<PostCard[]> {
    const views = await this.views.describe(viewer, posts);
    const asked = new Map<string, Promise<boolean>>();
    const can = (
      permission: (typeof microblogPermissions)[keyof typeof microblogPermissions],
      post: MicroblogPost,
      own = true,
    ) => {
      const key = `${permission.name}|${post.spaceId ?? '-'}|${own && viewer?.id === post.authorId}`;
      let answer = asked.get(key);
      if (!answer) {
        answer = own
          ? this.access.can(viewer, permission, post)
          : this.access.canInSpace(viewer, permission, post.spaceId);
        asked.set(key, answer);
      }
      return answer;
    };
    const mayAnswer = question ? await this.posts.mayAnswer(viewer, question) : false;
    return Promise.all(
      views.map(async (view, i) => {
        const post = posts[i];
        const published = view.status === 'published';
        const signedIn = viewer !== null;
        const [reply, react, edit, del, pin] = await Promise.all([
          signedIn && published ? can(microblogPermissions.create, post, false) : false,
          signedIn && published ? can(microblogPermissions.react, post, false) : false,
          signedIn ? can(microblogPermissions.edit, post) : false,
          signedIn ? can(microblogPermissions.delete, post) : false,
          signedIn && !post.isReply && post.spaceId ? can(microblogPermissions.pin, post, false) : false,
        ]);
        const isAnswer = question !== null && post.replyToId === question.id;
        const accepted = isAnswer && question.acceptedAnswerId === post.id;
        const counts = new Map(view.reactions.map((r) => [r.emoji, r]));
        return {
          ...view,
          can: {
            reply,
            react,
            edit,
            delete: del,
            pin,
            accept: mayAnswer && isAnswer && published && !accepted,
            unaccept: mayAnswer && accepted,
          },
          buttons: REACTIONS.map((r) => ({
            emoji: r.emoji,
            name: r.name,
            count: counts.get(r.emoji)?.count ?? 0,
            mine: counts.get(r.emoji)?.mine ?? false,
          })),
          accepted,
          returnTo: `${returnTo}#microblog.post-${post.id}`,
        };
      }),
    );
  }

  /** A composer for the viewer, or null when they may not post there. */
  async composer(
    viewer: Viewer,
    options: {
      returnTo: string;
      space?: { id: string; slug: string; name: string } | null;
      replyTo?: PostView | null;
      form?: MicroblogForm;
      prefix?: string;
    },
  ): Promise<Composer | null> {
    if (!viewer) return null;
    const replyTo = options.replyTo ?? null;
    const spaceId = replyTo ? replyTo.spaceId : (options.space?.id ?? null);
    if (!(await this.access.canInSpace(viewer, microblogPermissions.create, spaceId))) return null;
    const form = options.form ?? emptyForm();
    let spaces: Composer['spaces'] = [];
    if (!replyTo && !options.space) {
      const chosen = form.values.spaceId ?? '';
      spaces = [{ value: '', name: null, selected: chosen === '' }];
      for (const id of await this.spaces.memberOf(viewer.id)) {
        const space = await this.spaces.find(id);
        if (space && (await this.access.canInSpace(viewer, microblogPermissions.create, space.id)))
          spaces.push({ value: space.slug, name: space.name, selected: chosen === space.slug || chosen === space.id });
      }
      spaces.sort((a, b) => (a.name === null ? -1 : b.name === null ? 1 : a.name.localeCompare(b.name)));
    }
    return {
      prefix: options.prefix ?? (replyTo ? 'reply' : 'composer'),
      form,
      limit: (await this.settings.get()).maxLength,
      returnTo: options.returnTo,
      replyTo: replyTo ? { id: replyTo.id, author: replyTo.author?.displayName ?? null } : null,
      space: options.space ?? null,
      spaces,
      question: !replyTo,
    };
  }

  /** The link to the next older page of a stream, or null at its end. */
  olderUrl(page: StreamPage, here: string, extra = ''): string | null {
    const last = page.next ?? page.posts[page.posts.length - 1];
    if (!page.more || !last) return null;
    return `${here}?${extra}cursor=${encodeURIComponent(streamCursor(last))}`;
  }

  async pollSeconds(): Promise<number> {
    return (await this.settings.get()).pollSeconds;
  }

  /** The longest post, in characters. */
  async limit(): Promise<number> {
    return (await this.settings.get()).maxLength;
  }
}
