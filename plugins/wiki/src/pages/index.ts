import { WikiEditPage } from './wiki-edit.page';
import { WikiHistoryPage } from './wiki-history.page';
import { WikiManagePage } from './wiki-manage.page';
import { WikiReadPage } from './wiki-read.page';

/** The server-rendered pages, mounted under `/wiki`. */
export const wikiPages = [WikiEditPage, WikiHistoryPage, WikiManagePage, WikiReadPage];
export { WikiPageData } from './wiki-page-data';
