/**
 * Every route a running test intranet has mounted, with what Nest knows about it.
 *
 * The list itself is Fastify's: core's `setupOpenApi` installs an `onRoute` hook before anything is
 * registered and keeps each (method, url) Fastify mounts (`mountedRoutes`), so routes added outside
 * Nest (the API docs, static files) are there too and nothing is inferred. Each route is then matched
 * to the controller method behind it by walking Nest's modules (RouterModule prefix + controller path
 * + method path) for its `@Public()` / `@RequirePermission` / `@Render` metadata. A Nest route that
 * Fastify did not mount, or a mounted route that is neither Nest's nor a known non-Nest route, throws:
 * the helper would otherwise describe routes that are not there.
 */
import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, MODULE_PATH, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { HttpAdapterHost, MetadataScanner, ModulesContainer } from '@nestjs/core';
import { METADATA, type PermissionRequirement } from '@plein/sdk';
import type { TestIntranet } from '@plein/sdk/testing';
import type { FastifyInstance } from 'fastify';
import { mountedRoutes as fastifyRoutes, OPENAPI_PATHS } from '../../core/src/http/openapi';
import { PluginRegistry } from '../../core/src/plugins/plugin-registry';

/**
 * `api`: JSON under /api/v1. `page`: a server-rendered route (HTML, form posts). `docs`: the OpenAPI
 * document and Swagger UI. `static`: files (theme and plugin assets).
 */
export type RouteKind = 'api' | 'page' | 'docs' | 'static';

export interface MountedRoute {
  method: string;
  /** As Fastify has it: `/api/v1/spaces/:space`, `/assets/theme/*`. */
  path: string;
  /** `METHOD path`: the key the matrix and the fuzz test use. */
  key: string;
  kind: RouteKind;
  /** `core`, a plugin id, or `framework` for what core registers on Fastify directly. */
  owner: string;
  /** `:name` segments, in order (`*` for a wildcard). */
  params: string[];
  /** `Controller.method`, for Nest routes. */
  handler?: string;
  public: boolean;
  permission?: PermissionRequirement;
  /** The view a `@Render` page route renders. */
  view?: string;
  /** The class of the whole-body `@Body()` parameter, when there is one. */
  body?: Function;
}

interface NestRoute {
  method: string;
  path: string;
  controller: Type;
  handler: string;
}

function joinPath(...parts: Array<string | undefined>): string {
  const path = parts
    .flatMap((p) => (p ?? '').split('/'))
    .filter(Boolean)
    .join('/');
  return `/${path}`;
}

/** Every (method, path) Nest registered, computed the way Nest's router does (no global prefix, no versioning here). */
function nestRoutes(intranet: TestIntranet): NestRoute[] {
  const container = intranet.get(ModulesContainer);
  const scanner = new MetadataScanner();
  const routes: NestRoute[] = [];
  for (const module of container.values()) {
    const modulePath =
      (Reflect.getMetadata(MODULE_PATH + container.applicationId, module.metatype) as string | undefined) ??
      (Reflect.getMetadata(MODULE_PATH, module.metatype) as string | undefined);
    for (const controller of module.controllers.keys()) {
      if (typeof controller !== 'function') continue;
      const controllerPaths = [Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined].flat();
      for (const handler of scanner.getAllMethodNames(controller.prototype)) {
        const fn = (controller.prototype as Record<string, object>)[handler];
        const methodPaths = Reflect.getMetadata(PATH_METADATA, fn) as string | string[] | undefined;
        const requestMethod = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
        if (methodPaths === undefined || requestMethod === undefined) continue;
        for (const controllerPath of controllerPaths) {
          for (const methodPath of [methodPaths].flat()) {
            routes.push({
              method: RequestMethod[requestMethod],
              path: joinPath(modulePath, controllerPath, methodPath),
              controller: controller as Type,
              handler,
            });
          }
        }
      }
    }
  }
  return routes;
}

function metadataOf<T>(key: string, controller: Type, handler: string): T | undefined {
  const fn = (controller.prototype as Record<string, object>)[handler];
  return (Reflect.getMetadata(key, fn) as T | undefined) ?? (Reflect.getMetadata(key, controller) as T | undefined);
}

function bodyOf(controller: Type, handler: string): Function | undefined {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler) ?? {}) as Record<
    string,
    { index: number; data?: unknown }
  >;
  const types = (Reflect.getMetadata('design:paramtypes', controller.prototype, handler) ?? []) as Function[];
  const body = Object.entries(args).find(
    ([key, arg]) => key.split(':')[0] === String(RouteParamtypes.BODY) && arg.data === undefined,
  );
  return body ? (types[body[1].index] ?? Object) : undefined;
}

/** Routes core registers on Fastify itself: what they are, and that anyone may fetch them. */
function frameworkKind(path: string): RouteKind | undefined {
  if (path === OPENAPI_PATHS.json || path === OPENAPI_PATHS.ui || path.startsWith(`${OPENAPI_PATHS.ui}/`))
    return 'docs';
  if (path.endsWith('/*') && (path.startsWith('/assets/') || path.startsWith('/plugins/'))) return 'static';
  return undefined;
}

/** The Fastify instance of a test intranet. */
export function fastifyOf(intranet: TestIntranet): FastifyInstance {
  return intranet.get(HttpAdapterHost).httpAdapter.getInstance<FastifyInstance>();
}

/** Every mounted route of `intranet`, sorted by path then method. */
export function mountedRoutes(intranet: TestIntranet): MountedRoute[] {
  const registry = intranet.get(PluginRegistry);
  const nest = new Map(nestRoutes(intranet).map((r) => [`${r.method} ${r.path}`, r]));
  const mounted = fastifyRoutes(fastifyOf(intranet));
  const keys = new Set(mounted.map((r) => `${r.method} ${r.url}`));
  const notMounted = [...nest.keys()].filter((key) => !keys.has(key));
  if (notMounted.length)
    throw new Error(
      `routes helper: Nest declares routes Fastify did not mount (is the path computed as Nest does?): ${notMounted.join(', ')}`,
    );

  const routes = mounted.map((r): MountedRoute => {
    const key = `${r.method} ${r.url}`;
    const params = [...r.url.matchAll(/:([A-Za-z0-9_]+)|(\*)/g)].map((m) => m[1] ?? '*');
    const route = nest.get(key);
    if (!route) {
      const kind = frameworkKind(r.url);
      if (!kind)
        throw new Error(
          `routes helper: ${key} is mounted but is neither a Nest route nor one core registers on Fastify (docs, static files)`,
        );
      return { method: r.method, path: r.url, key, kind, owner: 'framework', params, public: true };
    }
    const isPublic = metadataOf<boolean>(METADATA.public, route.controller, route.handler) === true;
    const view = metadataOf<string>(METADATA.render, route.controller, route.handler);
    return {
      method: r.method,
      path: r.url,
      key,
      kind: r.url === '/api/v1' || r.url.startsWith('/api/v1/') ? 'api' : 'page',
      owner: registry.ownerOf(route.controller) ?? 'core',
      params,
      handler: `${route.controller.name}.${route.handler}`,
      public: isPublic,
      permission: isPublic
        ? undefined
        : metadataOf<PermissionRequirement>(METADATA.permission, route.controller, route.handler),
      view,
      body: bodyOf(route.controller, route.handler),
    };
  });
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

/** `path` with each `:param` (and `*`) replaced by `values[param]`, URL-encoded. */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/:([A-Za-z0-9_]+)|\*/g, (whole, name: string | undefined) => {
    const value = values[name ?? '*'];
    if (value === undefined) throw new Error(`fillPath: no value for '${whole}' in ${path}`);
    return name ? encodeURIComponent(value) : value;
  });
}
