import plugin from './polls.plugin';

export default plugin;
export { closeDuePolls, pollContent, pollsClosed, pollsVoteCast } from './events';
export { pollsPermissions } from './permissions';
