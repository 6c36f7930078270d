import { PAGE_REDIRECT, PAGE_STATUS, withStatus as pageWithStatus, type PageData, type PageRedirect } from '@plein/sdk';

export { PAGE_STATUS };

export interface PageStatus {
  status: number;
  headers?: Record<string, string>;
}

export type PageResult = PageData & { [PAGE_STATUS]?: PageStatus };

/** The page data, answered with `status` (and `headers`) instead of 200. */
export function withStatus(data: PageData, status: number, headers?: Record<string, string>): PageResult {
  return pageWithStatus(data, status, headers) as PageResult;
}

export function isPageRedirect(value: unknown): value is PageRedirect {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PAGE_REDIRECT] === true;
}

/**
 * `url` when it is a path on this site (`/spaces?x=1`), else null: never `//evil.example`,
 * `/\evil.example`, `https://…` or `javascript:…`, so `?next=` cannot send anyone elsewhere.
 */
export function localPath(url: unknown): string | null {
  if (typeof url !== 'string' || url.length > 2000) return null;
  if (!url.startsWith('/') || url.startsWith('//') || url.startsWith('/\\')) return null;
  // Control characters and backslashes are folded into the host by some browsers.
  if ([...url].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f || c === '\\')) return null;
  return url;
}
