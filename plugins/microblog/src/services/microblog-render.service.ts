import { Injectable } from '@nestjs/common';
import { extractMentions, renderMarkdown, Users, type UserRef } from '@plein/sdk';
import { linkifyHtml } from './post-text';

/** A post's text, rendered once on write. */
export interface RenderedPost {
  /** Sanitised HTML, stored and printed as it is on every read. */
  html: string;
  /** The people mentioned who exist, in order of first mention. */
  mentions: UserRef[];
  /** Hashtags, lower case, without duplicates. */
  tags: string[];
}

/** At most this many distinct handles of one post are looked up (a 500-character post has far fewer). */
const MAX_MENTIONS = 50;

export const profileUrl = (handle: string) => `/microblog/users/${encodeURIComponent(handle)}`;
export const tagUrl = (tag: string) => `/microblog/tags/${encodeURIComponent(tag)}`;

/**
 * Renders post text through the SDK's renderMarkdown (CommonMark, raw HTML off, sanitised):
 * `@handle` of someone who exists links to their profile (an unknown handle stays plain text),
 * `#tag` links to the tag page, and bare `https://` addresses become links.
 */
@Injectable()
export class MicroblogRenderService {
  constructor(private readonly users: Users) {}

  async render(body: string): Promise<RenderedPost> {
    const known = new Map<string, UserRef>();
    for (const handle of extractMentions(body).slice(0, MAX_MENTIONS)) {
      const user = await this.users.findByHandle(handle);
      if (user) known.set(handle, user);
    }
    const rendered = renderMarkdown(body, {
      mention: (handle) => {
        const user = known.get(handle);
        return user ? profileUrl(user.handle) : null;
      },
      hashtag: (tag) => tagUrl(tag),
      anchors: false,
    });
    return {
      html: linkifyHtml(rendered.html),
      mentions: rendered.mentions.map((h) => known.get(h)).filter((u): u is UserRef => Boolean(u)),
      tags: rendered.hashtags,
    };
  }
}
