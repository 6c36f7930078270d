import { ForumCategoriesPage } from './forum-categories.page';
import { ForumIndexPage } from './forum-index.page';
import { ForumModeratePage } from './forum-moderate.page';
import { ForumPostPage } from './forum-post.page';
import { ForumTopicPage } from './forum-topic.page';

/** The server-rendered pages, mounted under `/forum`. */
export const forumPages = [ForumIndexPage, ForumCategoriesPage, ForumTopicPage, ForumModeratePage, ForumPostPage];
export { ForumPageData } from './forum-page-data';
