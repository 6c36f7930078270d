import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { METADATA } from '@plein/sdk';
import type { FastifyReply } from 'fastify';
import { map, type Observable } from 'rxjs';
import { PermissionsService } from '../permissions/permissions.service';
import { PluginRegistry } from '../plugins/plugin-registry';
import { ViewEngine } from '../views/view-engine';
import type { PleinRequestState } from './access.guard';

/** Renders the return value of a `@Render(view)` route inside the theme's layout. */
@Injectable()
export class PageInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly views: ViewEngine,
    private readonly registry: PluginRegistry,
    private readonly permissions: PermissionsService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const view = this.reflector.get<string | undefined>(METADATA.render, context.getHandler());
    if (!view) return next.handle();
    const http = context.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const { user } = http.getRequest<{ plein?: PleinRequestState }>().plein ?? { user: null };
    const held = new Set(this.permissions.permissionsOf(user ? [...user.roles, 'anonymous'] : ['anonymous']));
    const navigation = this.registry.navigation().filter((n) => !n.permission || held.has(n.permission));
    return next.handle().pipe(
      map((data: object) => {
        void reply.type('text/html; charset=utf-8');
        return this.views.page(view, data ?? {}, { user, navigation });
      }),
    );
  }
}
