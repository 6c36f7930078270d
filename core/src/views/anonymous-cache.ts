import { randomBytes } from 'node:crypto';

interface Entry {
  /** The page cut at each token placeholder: one part when the page holds no form. */
  parts: string[];
  status: number;
  expires: number;
}

/**
 * Rendered pages kept for people who are not signed in (routes marked `@AnonymousCache(seconds)`),
 * keyed by language and address. Per instance and bounded; emptied whenever anything is published
 * on this instance (see EventBusService.onPublish), so only other instances may serve a page up to
 * its `seconds` old. The CSRF token in a page is stored as a placeholder and each visitor's own
 * token is put in when it is served. Pages are rendered with the placeholder whether cached or not,
 * so an anonymous visitor gets a token (and its cookie) only from a page that holds a form.
 */
export class AnonymousPageCache {
  /** Stands for the visitor's CSRF token in stored HTML: random, so no content can forge it. */
  readonly tokenPlaceholder = `plein-csrf-${randomBytes(12).toString('hex')}`;
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 1000,
  ) {}

  key(locale: string, url: string): string {
    return `${locale} ${url}`;
  }

  /**
   * The stored page with the visitor's token in place of the placeholder, or null when absent or
   * expired. `token` is asked only when the page holds a form (it may set the anonymous cookie).
   */
  get(key: string, token: () => string): { html: string; status: number } | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expires <= this.now()) {
      this.entries.delete(key);
      return null;
    }
    return { html: entry.parts.length === 1 ? entry.parts[0] : entry.parts.join(token()), status: entry.status };
  }

  set(key: string, html: string, status: number, seconds: number): void {
    // Oldest first out: a Map iterates in insertion order.
    this.entries.delete(key);
    while (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { parts: html.split(this.tokenPlaceholder), status, expires: this.now() + seconds * 1000 });
  }

  /** `html` rendered with the placeholder as its token, with `token()` put in (asked only if needed). */
  fill(html: string, token: () => string): string {
    return html.includes(this.tokenPlaceholder) ? html.split(this.tokenPlaceholder).join(token()) : html;
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
