import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Handlebars from 'handlebars';
import type { ViewEngine } from '../views/view-engine';

/** One message in both forms a mail reader may show. */
export interface RenderedMail {
  html: string;
  text: string;
}

/**
 * E-mail from the active theme's `mail/` folder: `mail/<name>.html.hbs` inside the layout
 * `mail/layouts/html.hbs`, and `mail/<name>.text.hbs` inside `mail/layouts/text.hbs`. Both are
 * compiled on the theme's own Handlebars instance, so `t`, `date` and `number` work as in pages.
 * The HTML part escapes every `{{…}}`; the text part escapes nothing (it is not HTML, and a title
 * `Q&A` must read `Q&A` there, not `Q&amp;A`).
 */
export class MailTemplates {
  private readonly cache = new Map<string, Handlebars.TemplateDelegate>();

  constructor(private readonly views: ViewEngine) {}

  private compile(file: string, text: boolean): Handlebars.TemplateDelegate {
    // Per theme: the admin may switch it while Plein runs.
    const key = `${this.views.themeDir}\n${file}`;
    let template = this.cache.get(key);
    if (!template) {
      const path = this.views.themeFile(join('mail', file));
      if (!path) throw new Error(`Mail template '${file}': expected ${join(this.views.themeDir, 'mail', file)} in the active theme (or its parent), found nothing`);
      template = this.views.hbs.compile(readFileSync(path, 'utf8'), { noEscape: text, preventIndent: true });
      this.cache.set(key, template);
    }
    return template;
  }

  /** `data.locale` picks the language of `{{t}}` and `{{date}}`; `data.title` is the layout's title. */
  render(name: string, data: { locale: string; title: string; [field: string]: unknown }): RenderedMail {
    const html = this.compile(`${name}.html.hbs`, false)(data);
    const text = this.compile(`${name}.text.hbs`, true)(data);
    return {
      html: this.compile('layouts/html.hbs', false)({ ...data, body: html }).trim() + '\n',
      text: this.compile('layouts/text.hbs', true)({ ...data, body: text }).replace(/\n{3,}/g, '\n\n').trim() + '\n',
    };
  }
}
