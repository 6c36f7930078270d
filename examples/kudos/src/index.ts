import plugin from './kudos.plugin';

export default plugin;
export { kudosGiven, recountTallies } from './events';
export { kudosPermissions } from './permissions';
