import { randomBytes } from 'node:crypto';

interface Entry {
  html: string;
  status: number;
  expires: number;
}

/**
 * Rendered pages kept for people who are not signed in (routes marked `@AnonymousCache(seconds)`),
 * keyed by language and address. Per instance and bounded; emptied whenever anything is published
 * on this instance (see EventBusService.onPublish), so only other instances may serve a page up to
 * its `seconds` old. The CSRF token in a page is stored as a placeholder and each visitor's own
 * token is put in when it is served.
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

  /** The stored page with `token` in place of the placeholder, or null when absent or expired. */
  get(key: string, token: string): { html: string; status: number } | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expires <= this.now()) {
      this.entries.delete(key);
      return null;
    }
    return { html: entry.html.split(this.tokenPlaceholder).join(token), status: entry.status };
  }

  set(key: string, html: string, status: number, seconds: number): void {
    // Oldest first out: a Map iterates in insertion order.
    this.entries.delete(key);
    while (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { html, status, expires: this.now() + seconds * 1000 });
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
