import { WikiAlias } from './wiki-alias.entity';
import { WikiLink } from './wiki-link.entity';
import { WikiPage } from './wiki-page.entity';
import { WikiRevision } from './wiki-revision.entity';
import { WikiTreeLock } from './wiki-tree-lock.entity';
import { WikiWatch } from './wiki-watch.entity';

export { ORG_SPACE_KEY, WikiPage } from './wiki-page.entity';
export { WikiRevision } from './wiki-revision.entity';
export { WikiLink } from './wiki-link.entity';
export { WikiAlias } from './wiki-alias.entity';
export { WikiWatch } from './wiki-watch.entity';
export { WikiTreeLock } from './wiki-tree-lock.entity';

export const wikiEntities = [WikiPage, WikiRevision, WikiLink, WikiAlias, WikiWatch, WikiTreeLock];
