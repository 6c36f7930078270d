import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock, Database, EventBus, InvalidInput, Users, type UserRef } from '@plein/sdk';
import { __Name__Item } from '../entities/__name__-item.entity';
import { __nameCamel__ItemCreated } from '../events';

/** An item as the API and the page show it. */
export interface __Name__ItemView {
  id: string;
  title: string;
  author: UserRef | null;
  createdAt: string;
}

/** Where a page of items ends: the sort key of its last item. */
export interface __Name__ItemCursor {
  createdAt: string;
  id: string;
}

@Injectable()
export class __Name__ItemService {
  constructor(
    private readonly db: Database,
    private readonly events: EventBus,
    private readonly users: Users,
    private readonly clock: Clock,
  ) {}

  async create(authorId: string, title: string): Promise<__Name__ItemView> {
    const text = title.trim();
    if (!text) throw new InvalidInput([{ field: 'title', message: 'must not be blank' }]);
    const item = await this.db.transaction(async () => {
      const row: __Name__Item = { id: randomUUID(), title: text, authorId, createdAt: this.clock.now() };
      await this.db.repository(__Name__Item).insert(row);
      await this.events.publish(__nameCamel__ItemCreated, { itemId: row.id, authorId });
      return row;
    });
    return (await this.describe([item]))[0];
  }

  /** Newest first; `after` is the last item of the previous page (keyset pagination). */
  async latest(limit: number, after: __Name__ItemCursor | null): Promise<__Name__Item[]> {
    const qb = this.db
      .repository(__Name__Item)
      .createQueryBuilder('i')
      .orderBy('i.createdAt', 'DESC')
      .addOrderBy('i.id', 'DESC')
      .take(limit);
    if (after) {
      // Strictly after the cursor in (createdAt, id) order: nothing repeated, nothing skipped.
      qb.where('(i.createdAt < :at OR (i.createdAt = :at AND i.id < :id))', {
        at: new Date(after.createdAt),
        id: after.id,
      });
    }
    return qb.getMany();
  }

  /** Items with their authors, in two queries whatever the page size. */
  async describe(items: __Name__Item[]): Promise<__Name__ItemView[]> {
    const authors = await this.users.findByIds(items.map((i) => i.authorId));
    return items.map((i) => ({
      id: i.id,
      title: i.title,
      author: authors.get(i.authorId) ?? null,
      createdAt: i.createdAt.toISOString(),
    }));
  }
}
