import plugin from './__name__.plugin';

export default plugin;
export { __nameCamel__ItemCreated } from './events';
export { __nameCamel__Permissions } from './permissions';
