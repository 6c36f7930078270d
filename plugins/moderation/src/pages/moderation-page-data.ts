import { Injectable } from '@nestjs/common';
import { Permissions, Spaces, type SignedInUser } from '@plein/sdk';
import type { Lane } from '../events';
import { moderationPermissions } from '../permissions';
import { ModerationScope, type Scope } from '../services/moderation-scope.service';
import type { QueueItemView } from '../services/queue.service';

/** The tabs of the moderation pages someone may open. */
export interface Tabs {
  queue: boolean;
  rules: boolean;
  sanctions: boolean;
  log: boolean;
  settings: boolean;
}

/** The decisions each lane offers, in the order the form lists them. */
export function actionsFor(item: Pick<QueueItemView, 'lane' | 'sanction'>): string[] {
  if (item.lane === 'held') return ['approve', 'hide', 'delete'];
  if (item.lane === 'appeals') return item.sanction ? ['approve', 'dismiss'] : ['approve', 'dismiss', 'hide', 'delete'];
  return ['approve', 'hide', 'delete', 'dismiss'];
}

/** What every moderation page shows besides its own content: the tabs, and the spaces in scope. */
@Injectable()
export class ModerationPageData {
  constructor(
    private readonly scope: ModerationScope,
    private readonly permissions: Permissions,
    private readonly spaces: Spaces,
  ) {}

  async tabs(user: SignedInUser): Promise<Tabs> {
    const [review, rules, log] = await Promise.all([
      this.scope.of(user, moderationPermissions.review),
      this.scope.of(user, moderationPermissions.rules),
      this.scope.of(user, moderationPermissions.log),
    ]);
    const any = (s: Scope) => s.global || s.spaceIds.length > 0;
    return {
      queue: any(review),
      rules: any(rules),
      sanctions: await this.permissions.can(user, moderationPermissions.sanction),
      log: any(log),
      settings: await this.permissions.can(user, moderationPermissions.settings),
    };
  }

  /** The spaces of a scope with their names, for filters (all spaces are not listed for global scopes). */
  async spacesOf(scope: Scope): Promise<Array<{ id: string; name: string }>> {
    const found = [];
    for (const id of scope.spaceIds) {
      const space = await this.spaces.find(id);
      if (space) found.push({ id: space.id, name: space.name });
    }
    return found.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Queue items as the views show them: with the decisions they offer and their keyboard letters. */
  decorate(items: QueueItemView[]): Array<QueueItemView & { actions: Array<{ action: string; key: string }> }> {
    const keys: Record<string, string> = { approve: 'a', hide: 'h', delete: 'd', dismiss: 'x' };
    return items.map((item) => ({
      ...item,
      actions: actionsFor(item).map((action) => ({ action, key: keys[action] })),
    }));
  }

  laneTabs(counts: Record<Lane, number>, current: Lane, cap: number) {
    return (['reports', 'held', 'appeals'] as Lane[]).map((lane) => ({
      lane,
      count: counts[lane],
      more: counts[lane] >= cap,
      current: lane === current,
    }));
  }
}
