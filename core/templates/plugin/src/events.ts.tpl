import { defineEvent } from '@plein/sdk';

/** Published after an item is stored; not delivered when the transaction rolls back. */
export const __nameCamel__ItemCreated = defineEvent<{ itemId: string; authorId: string }>('__name__.item.created', {
  description: 'Someone posted a __Title__ item',
});
