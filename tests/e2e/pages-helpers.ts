import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestHttp } from '@plein/sdk/testing';

/** The CSRF token a page's forms carry. */
export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error(`expected a form with a _csrf field, found none in:\n${html.slice(0, 500)}`);
  return match[1];
}

/** Opens `page` in `browser` and submits a form to `action` with the page's CSRF token, as a browser without JavaScript would. */
export async function submit(browser: TestHttp, page: string, action: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) {
  const opened = await browser.get(page).expect(200);
  const request = browser.post(action).type('form');
  for (const [k, v] of Object.entries(headers)) request.set(k, v);
  return request.send({ ...fields, _csrf: csrfOf(opened.text) });
}

/** Signs `browser` in through the sign-in form. */
export async function signIn(browser: TestHttp, email: string, password: string): Promise<void> {
  const res = await submit(browser, '/login', '/login', { email, password });
  if (res.status !== 303) throw new Error(`expected sign-in to redirect, got ${res.status}:\n${res.text.slice(0, 2000)}`);
}

/** The text of every .eml file under `<dataDir>/mail`, quoted-printable soft breaks and escapes decoded. */
export function mails(dataDir: string): string[] {
  const dir = join(dataDir, 'mail');
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.eml')).sort();
  } catch {
    return [];
  }
  return files.map((f) =>
    readFileSync(join(dir, f), 'utf8')
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
  );
}

export const PASSWORD = 'correct horse battery staple';
