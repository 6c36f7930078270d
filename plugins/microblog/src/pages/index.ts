import { MicroblogPostPage } from './microblog-post.page';
import { MicroblogStreamPage } from './microblog-stream.page';

/** The server-rendered pages, mounted under `/microblog`. */
export const microblogPages = [MicroblogPostPage, MicroblogStreamPage];
export { MicroblogPageData } from './microblog-page-data';
