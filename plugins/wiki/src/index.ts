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
  wikiPromotionRefused,
  type WikiPageEventPayload,
  type WikiPromotionRequest,
  type WikiPromotionOrigin,
  type WikiPromotionRefusal,
} from './events';
export { wikiPermissions } from './permissions';
