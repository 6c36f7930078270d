import { Injectable } from '@nestjs/common';
import { extractMentions, renderMarkdown, Users, type UserRef } from '@plein/sdk';

/** Most `@mentions` in one post that are looked up (and notified). */
export const MAX_MENTIONS = 20;

/** A post's Markdown, rendered once on save. */
export interface RenderedPost {
  /** Sanitised HTML, stored and printed as it is on every read. */
  html: string;
  /** The people `@mentioned` who exist, in order. */
  mentions: UserRef[];
}

/**
 * Renders post bodies through the SDK's renderMarkdown (CommonMark, raw HTML off, sanitised).
 * `@handle` of an existing person links to their profile; anything else stays text.
 */
@Injectable()
export class ForumRenderService {
  constructor(private readonly users: Users) {}

  async render(body: string): Promise<RenderedPost> {
    const handles = extractMentions(body).slice(0, MAX_MENTIONS);
    const known = new Map<string, UserRef>();
    for (const handle of handles) {
      const user = await this.users.findByHandle(handle);
      if (user) known.set(handle, user);
    }
    const { html } = renderMarkdown(body, {
      anchors: false,
      mention: (handle) => (known.has(handle) ? `/users/${encodeURIComponent(known.get(handle)!.handle)}` : null),
    });
    return { html, mentions: [...known.values()] };
  }
}
