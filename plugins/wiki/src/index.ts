import plugin from './wiki.plugin';

export default plugin;
export {
  wikiPageContent,
  wikiPageCreated,
  wikiPageUpdated,
  wikiPageMoved,
  wikiPageDeleted,
  wikiPageRestored,
  wikiPromotionRequested,
  type WikiPageEventPayload,
  type WikiPromotionRequest,
  type WikiPromotionOrigin,
} from './events';
export { wikiPermissions } from './permissions';
