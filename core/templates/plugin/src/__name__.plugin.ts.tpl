import { definePlugin } from '@plein/sdk';
import { __Name__ItemController } from './controllers/__name__-item.controller';
import { __Name__Item } from './entities/__name__-item.entity';
import { __nameCamel__ItemCreated } from './events';
import { __Name__Init1730000000000 } from './migrations/1730000000000-__name__-init';
import { __Name__Page } from './pages/__name__.page';
import { __nameCamel__Permissions } from './permissions';
import { __Name__ItemService } from './services/__name__-item.service';

export default definePlugin({
  id: '__name__',
  version: '0.1.0',
  sdk: '^1.0.0',
  displayName: '__Title__',
  description: 'Short items members post and everyone reads',
  entities: [__Name__Item],
  migrations: [__Name__Init1730000000000],
  permissions: Object.values(__nameCamel__Permissions),
  events: [__nameCamel__ItemCreated],
  controllers: [__Name__ItemController],
  pages: [__Name__Page],
  providers: [__Name__ItemService],
  views: 'views',
  navigation: [{ label: '__Title__', path: '/__name__', permission: __nameCamel__Permissions.read.name }],
});
