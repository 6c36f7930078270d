import { AdminPage } from './admin.page';
import { MemberPage } from './member.page';
import { QueuePage } from './queue.page';
import { RulesPage } from './rules.page';

/** The server-rendered pages, mounted under `/moderation`. */
export const moderationPages = [QueuePage, MemberPage, RulesPage, AdminPage];
export { HistoryPageData } from './history-page-data';
export { ModerationPageData } from './moderation-page-data';
