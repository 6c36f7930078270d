import { dirname } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type {
  OperationObject,
  ParameterObject,
  ReferenceObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { METADATA, type PermissionRequirement } from '@plein/sdk';
import type { MetadataStorage as TransformerMetadata } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage, IS_IN, MATCHES } from 'class-validator';
import { targetConstructorToSchema, validationMetadatasToSchemas } from 'class-validator-jsonschema';
import type { SchemaConverter } from 'class-validator-jsonschema/build/defaultConverters';
import type { FastifyInstance } from 'fastify';
import { coreControllers } from '../app/app-module';
import { SESSION_COOKIE } from '../auth/auth.service';
import type { InstalledPlugin } from '../plugins/plugin-registry';

/** Where the document and its viewer are served (API.md: "OpenAPI at /api/docs"). */
export const OPENAPI_PATHS = { ui: '/api/docs', json: '/api/docs-json' } as const;

/** The part of the URL space the document describes: the JSON API, never the pages. */
const API_PREFIX = '/api/v1/';

/** A route as Fastify mounted it: every Nest route, plus what core registers on Fastify itself. */
export interface MountedRoute {
  method: string;
  url: string;
}

const mountedByServer = new WeakMap<FastifyInstance, MountedRoute[]>();

/**
 * Every route mounted on this Fastify instance, as Fastify saw it (an `onRoute` hook installed by
 * {@link setupOpenApi}, which boot calls before any route exists). The OpenAPI document is built
 * from Nest's metadata; this list is the independent record tests hold the document and the
 * authorization matrix against. Fastify's automatic HEAD twins of GET routes are left out.
 */
export function mountedRoutes(fastify: FastifyInstance): readonly MountedRoute[] {
  const routes = mountedByServer.get(fastify);
  if (!routes)
    throw new Error(
      'mountedRoutes: this Fastify instance was not set up by setupOpenApi(), so its routes were not recorded',
    );
  // Fastify adds a HEAD route beside every GET (exposeHeadRoutes), and @fastify/static registers both.
  const gets = new Set(routes.filter((r) => r.method === 'GET').map((r) => r.url));
  return routes.filter((r) => r.method !== 'HEAD' || !gets.has(r.url));
}

export interface OpenApiOptions {
  /** The plugins whose controllers are mounted (boot's `installed` list): they become the document's tags. */
  plugins: InstalledPlugin[];
}

/**
 * Records every route Fastify mounts, and serves the OpenAPI document of the `/api/v1` routes at
 * `GET /api/docs-json` and Swagger UI at `GET /api/docs`. Both are public and registered on Fastify
 * directly (not Nest controllers), so the access guard does not see them. Call before
 * `app.init()` and before any other plugin registers routes; the document is built on first request.
 */
export function setupOpenApi(app: NestFastifyApplication, options: OpenApiOptions): void {
  const fastify = app.getHttpAdapter().getInstance();
  const routes: MountedRoute[] = [];
  mountedByServer.set(fastify, routes);
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });

  let document: string | undefined;
  fastify.get(OPENAPI_PATHS.json, (_request, reply) => {
    document ??= JSON.stringify(buildOpenApiDocument(app, options));
    return reply.type('application/json; charset=utf-8').send(document);
  });
  serveSwaggerUi(fastify);
}

// ---------------------------------------------------------------------------------------------
// Swagger UI

/** The files of swagger-ui-dist the page loads; nothing else of that folder is served. */
const UI_ASSETS = new Set([
  '/swagger-ui.css',
  '/swagger-ui-bundle.js',
  '/swagger-ui-standalone-preset.js',
  '/favicon-32x32.png',
  '/favicon-16x16.png',
]);

/**
 * A page with no inline script or style, so the site's Content-Security-Policy (`script-src 'self'`,
 * `style-src 'self'`) applies unchanged: checked in headless Chromium, Swagger UI renders with no
 * violation (React sets styles through the DOM, which CSP does not block). SwaggerModule.setup()
 * is not used for the UI: its page has an inline `<style>`, and it loads `@fastify/static` from
 * `@nestjs/platform-fastify`'s folder, where it is not installed (core depends on it).
 */
const UI_PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Plein API</title>
  <link rel="stylesheet" href="${OPENAPI_PATHS.ui}/swagger-ui.css">
  <link rel="icon" type="image/png" href="${OPENAPI_PATHS.ui}/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${OPENAPI_PATHS.ui}/swagger-ui-bundle.js"></script>
  <script src="${OPENAPI_PATHS.ui}/swagger-ui-standalone-preset.js"></script>
  <script src="${OPENAPI_PATHS.ui}/plein-init.js"></script>
</body>
</html>
`;

const UI_INIT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '${OPENAPI_PATHS.json}',
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'BaseLayout',
  });
});
`;

function serveSwaggerUi(fastify: FastifyInstance): void {
  fastify.get(OPENAPI_PATHS.ui, (_request, reply) => reply.type('text/html; charset=utf-8').send(UI_PAGE));
  fastify.get(`${OPENAPI_PATHS.ui}/`, (_request, reply) => reply.redirect(OPENAPI_PATHS.ui, 301));
  fastify.get(`${OPENAPI_PATHS.ui}/plein-init.js`, (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').send(UI_INIT),
  );
  // swagger-ui-dist comes with @nestjs/swagger; resolve it from there, wherever npm put it.
  const root = dirname(
    require.resolve('swagger-ui-dist/package.json', {
      paths: [dirname(require.resolve('@nestjs/swagger/package.json'))],
    }),
  );
  void fastify.register(fastifyStatic, {
    root,
    prefix: `${OPENAPI_PATHS.ui}/`,
    decorateReply: false,
    index: false,
    allowedPath: (path) => UI_ASSETS.has(path),
  });
}

// ---------------------------------------------------------------------------------------------
// The document

/** Who owns a group of controllers: core, or a plugin. */
interface Owner {
  id: string;
  displayName: string;
  description?: string;
  module: Type;
  controllers: Type[];
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

const PROBLEM_REF = { $ref: '#/components/responses/Problem' };

const STATUS_TEXT: Record<string, string> = {
  '400': 'The body is not JSON, or the request is malformed',
  '401': 'Not signed in (or the token is unknown or revoked)',
  '403': 'Signed in, but not allowed; or a cookie-authenticated change without the CSRF token',
  '404': 'Not found, or not visible to you (a private space you are not a member of)',
  '413': 'The body is larger than 1 MiB',
  '422': 'Validation failed (`errors` names each field) or a gate rejected the content',
};

/**
 * Builds the OpenAPI 3.1 document of every `/api/v1` route of core and the mounted plugins.
 *
 * Paths, path parameters and operations come from `@nestjs/swagger`'s reading of Nest's route
 * metadata. DTOs carry no `@ApiProperty`, so request-body schemas are generated from their
 * class-validator metadata (`class-validator-jsonschema`) instead of the empty ones Swagger infers.
 * Security requirements and `x-permission` come from `@Public()` / `@RequirePermission`.
 */
export function buildOpenApiDocument(app: NestFastifyApplication, options: OpenApiOptions): OpenAPIObject {
  const owners = findOwners(app, options.plugins);
  const base = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Plein API')
    .setVersion('1')
    .setDescription(
      [
        'The JSON API of this Plein intranet. JSON in and out; ids are strings; times are ISO-8601 UTC.',
        `Authenticate with \`Authorization: Bearer <personal access token>\` (POST /api/v1/auth/tokens), or with the session cookie \`${SESSION_COOKIE}\` that POST /api/v1/auth/login sets. ` +
          'A cookie-authenticated request that changes state must send `x-csrf-token` (from GET /api/v1/auth/csrf).',
        'Each guarded operation names its permission in `x-permission`. Anonymous callers pass when the anonymous role holds that permission.',
        'Errors are RFC 9457 problem documents (`application/problem+json`). Lists take `?limit=` (1..100) and `?cursor=` and answer `{ items, nextCursor }`.',
      ].join('\n\n'),
    )
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'opaque', description: 'A personal access token' },
      'bearer',
    )
    .addCookieAuth(
      SESSION_COOKIE,
      { type: 'apiKey', in: 'cookie', description: 'The session cookie set by POST /api/v1/auth/login' },
      'session',
    )
    .build();

  const document: OpenAPIObject = {
    ...base,
    paths: {},
    tags: [],
    components: { ...base.components, schemas: {}, responses: {} },
  };
  const bodySchemas = new BodySchemas();
  for (const owner of owners) {
    const scanned = SwaggerModule.createDocument(app, base, {
      include: [owner.module],
      operationIdFactory: (controller, method) => `${owner.id}_${controller}_${method}`,
      autoTagControllers: false,
    });
    document.tags!.push({ name: owner.id, description: owner.description ?? owner.displayName });
    for (const [path, item] of Object.entries(scanned.paths)) {
      if (!path.startsWith(API_PREFIX) && `${path}/` !== API_PREFIX) continue;
      for (const method of HTTP_METHODS) {
        const operation = item[method];
        if (!operation) continue;
        const handler = handlerOf(owner, operation.operationId);
        if (!handler)
          throw new Error(
            `OpenAPI: expected a controller method for operation ${operation.operationId} (${method.toUpperCase()} ${path}), found none`,
          );
        describeOperation(operation as PleinOperation, owner, handler, bodySchemas);
      }
      document.paths[path] = { ...document.paths[path], ...item };
    }
  }
  document.components!.schemas = { Problem: PROBLEM_SCHEMA, ...bodySchemas.all() };
  document.components!.responses = {
    Problem: {
      description: 'An RFC 9457 problem document',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    },
  };
  document.paths = Object.fromEntries(Object.entries(document.paths).sort(([a], [b]) => a.localeCompare(b)));
  return document;
}

const PROBLEM_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', description: 'A URI naming the problem type; `about:blank` when the status says it all' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string', description: 'The request path' },
    errors: {
      type: 'array',
      description: 'For validation errors (422): one entry per problem, naming the field',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};

/** Core's module (the one holding core's controllers) and each plugin's API module. */
function findOwners(app: NestFastifyApplication, plugins: InstalledPlugin[]): Owner[] {
  const modules = [...app.get(ModulesContainer, { strict: false }).values()];
  const moduleOf = (controller: Type | undefined) =>
    controller ? modules.find((m) => m.controllers.has(controller))?.metatype : undefined;
  const owners: Owner[] = [];
  const coreModule = moduleOf(coreControllers[0]);
  if (coreModule) {
    owners.push({
      id: 'core',
      displayName: 'Core',
      description: 'Accounts, sign-in, spaces, roles and permissions, plugins, notifications, audit',
      module: coreModule as Type,
      controllers: coreControllers,
    });
  }
  for (const plugin of plugins) {
    const controllers = (plugin.definition.controllers ?? []) as Type[];
    const module = moduleOf(controllers[0]);
    if (!module) continue;
    owners.push({
      id: plugin.definition.id,
      displayName: plugin.definition.displayName,
      description: plugin.definition.description,
      module: module as Type,
      controllers,
    });
  }
  return owners;
}

interface Handler {
  controller: Type;
  method: string;
}

/** The controller method behind an operation id `<owner>_<Controller>_<method>` (plugin ids have no `_`). */
function handlerOf(owner: Owner, operationId: string | undefined): Handler | undefined {
  const rest = operationId?.startsWith(`${owner.id}_`) ? operationId.slice(owner.id.length + 1) : '';
  const controller = owner.controllers.find((c) => rest.startsWith(`${c.name}_`));
  return controller ? { controller, method: rest.slice(controller.name.length + 1) } : undefined;
}

function metadataOf<T>(key: string, { controller, method }: Handler): T | undefined {
  const fn = (controller.prototype as Record<string, unknown>)[method] as object;
  return (Reflect.getMetadata(key, fn) as T | undefined) ?? (Reflect.getMetadata(key, controller) as T | undefined);
}

/** An operation with Plein's extensions (`x-permission`, `x-permission-space`). */
type PleinOperation = OperationObject & { [extension: `x-${string}`]: unknown };

function describeOperation(operation: PleinOperation, owner: Owner, handler: Handler, bodySchemas: BodySchemas): void {
  operation.tags = [owner.id];
  const isPublic = metadataOf<boolean>(METADATA.public, handler) === true;
  const requirement = isPublic ? undefined : metadataOf<PermissionRequirement>(METADATA.permission, handler);
  if (isPublic) {
    // Public: anyone may call it; signed in, the answer may show more (private spaces I belong to).
    operation.security = [{}, { bearer: [] }, { session: [] }];
  } else {
    operation.security = [{ bearer: [] }, { session: [] }];
    if (requirement) {
      operation['x-permission'] = requirement.name;
      if (requirement.space) operation['x-permission-space'] = requirement.space;
      const where = requirement.space ? ` in the space that \`${requirement.space}\` names` : '';
      operation.description = [operation.description, `Requires \`${requirement.name}\`${where}.`]
        .filter(Boolean)
        .join('\n\n');
    }
  }

  const statuses = new Set<string>();
  const body = bodyParameter(handler);
  delete operation.requestBody;
  if (body) {
    operation.requestBody = {
      required: true,
      content: { 'application/json': { schema: bodySchemas.schemaFor(body, owner.id) } },
    };
    ['400', '413', '422'].forEach((s) => statuses.add(s));
  }
  for (const parameter of (operation.parameters ?? []) as ParameterObject[]) {
    if (parameter.in === 'path') statuses.add('404');
    if (parameter.in !== 'query') continue;
    // Swagger marks every @Query() required; none of Plein's are.
    parameter.required = false;
    statuses.add('422');
    if (parameter.name === 'limit')
      Object.assign(parameter, {
        description: 'Page size',
        schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
      });
    if (parameter.name === 'cursor')
      Object.assign(parameter, { description: 'The `nextCursor` of the previous page', schema: { type: 'string' } });
  }
  if (!isPublic) ['401', '403'].forEach((s) => statuses.add(s));
  if (requirement?.space) statuses.add('404');

  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(operation.responses ?? {})) {
    responses[status] = {
      ...(response as object),
      description: (response as { description?: string }).description || 'Success',
    };
  }
  for (const status of [...statuses].sort()) responses[status] = { ...PROBLEM_REF, description: STATUS_TEXT[status] };
  responses.default = PROBLEM_REF;
  operation.responses = responses as OperationObject['responses'];
}

/** The type of the handler's whole-body `@Body()` parameter, or `Object` for an untyped one. */
function bodyParameter({ controller, method }: Handler): Function | undefined {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<
    string,
    { index: number; data?: unknown }
  >;
  const types = (Reflect.getMetadata('design:paramtypes', controller.prototype, method) ?? []) as Function[];
  for (const [key, arg] of Object.entries(args)) {
    if (key.split(':')[0] !== String(RouteParamtypes.BODY)) continue;
    return typeof arg.data === 'string' ? Object : (types[arg.index] ?? Object);
  }
  return undefined;
}

// Where class-transformer keeps `@Type(() => X)` (arrays of nested DTOs); the package has no types for this path.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const transformerStorage = require('class-transformer/cjs/storage') as { defaultMetadataStorage: TransformerMetadata };

/**
 * JSON schemas of the request DTOs, from their class-validator rules. The validation pipe refuses
 * unknown fields, so every generated object schema says `additionalProperties: false`.
 */
class BodySchemas {
  private readonly byName = new Map<string, { cls: Function; schema: SchemaObject }>();
  private readonly options = {
    refPointerPrefix: '#/components/schemas/',
    classValidatorMetadataStorage: getMetadataStorage(),
    additionalConverters: { [IS_IN]: enumSchema, [MATCHES]: patternSchema },
    classTransformerMetadataStorage: transformerStorage.defaultMetadataStorage,
  };
  private everything: Record<string, SchemaObject> | undefined;

  schemaFor(cls: Function, ownerId: string): SchemaObject | ReferenceObject {
    const primitive = PRIMITIVES.get(cls);
    if (primitive) return primitive;
    if (cls === Object || cls === Array) return { type: 'object' };
    let name = cls.name;
    const taken = this.byName.get(name);
    if (taken && taken.cls !== cls) name = `${ownerId}.${cls.name}`;
    if (!this.byName.has(name)) {
      const schema = closed(targetConstructorToSchema(cls, this.options) as SchemaObject);
      this.byName.set(name, { cls, schema });
      this.addReferenced(schema);
    }
    return { $ref: `#/components/schemas/${name}` };
  }

  all(): Record<string, SchemaObject> {
    return Object.fromEntries([...this.byName].map(([name, { schema }]) => [name, schema]));
  }

  /** Nested DTOs (`@ValidateNested() @Type(() => X)`) are referenced by name: add them too. */
  private addReferenced(schema: unknown): void {
    for (const ref of JSON.stringify(schema).match(/"#\/components\/schemas\/[^"]+"/g) ?? []) {
      const name = ref.slice('"#/components/schemas/'.length, -1);
      if (this.byName.has(name)) continue;
      this.everything ??= validationMetadatasToSchemas(this.options) as Record<string, SchemaObject>;
      const nested = this.everything[name];
      if (!nested) continue;
      const closedNested = closed(nested);
      this.byName.set(name, { cls: Object, schema: closedNested });
      this.addReferenced(closedNested);
    }
  }
}

const PRIMITIVES = new Map<Function, SchemaObject>([
  [String, { type: 'string' }],
  [Number, { type: 'number' }],
  [Boolean, { type: 'boolean' }],
]);

/** `@IsIn([...])`, including lists with `null` (the library's own converter fails on those). */
const enumSchema: SchemaConverter = (meta) => {
  const values = meta.constraints[0] as unknown[];
  const types = [...new Set(values.map((v) => (v === null ? 'null' : typeof v)))];
  return { enum: values, type: (types.length === 1 ? types[0] : types) as never };
};

/**
 * `@Matches(regex)`. JSON Schema patterns take no flags, so a case-insensitive regex has each
 * letter spelled in both cases (`[a-z]` → `[a-zA-Z]`, `x` → `[xX]`); the library drops the flag.
 */
const patternSchema: SchemaConverter = (meta) => {
  const [pattern, modifiers] = meta.constraints as [RegExp | string, string | undefined];
  const source = typeof pattern === 'string' ? pattern : pattern.source;
  const flags = typeof pattern === 'string' ? (modifiers ?? '') : pattern.flags;
  return { type: 'string', pattern: flags.includes('i') ? bothCases(source) : source };
};

function bothCases(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      out += c + (source[i + 1] ?? '');
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      const range = /^([a-zA-Z])-([a-zA-Z])/.exec(source.slice(i));
      if (range) {
        const [, from, to] = range;
        const other =
          from === from.toLowerCase()
            ? `${from.toUpperCase()}-${to.toUpperCase()}`
            : `${from.toLowerCase()}-${to.toLowerCase()}`;
        out += `${range[0]}${other}`;
        i += 2;
      } else if (/[a-zA-Z]/.test(c)) {
        out += c.toLowerCase() + c.toUpperCase();
      } else {
        out += c;
      }
    } else if (c === '[') {
      inClass = true;
      out += c;
    } else if (/[a-zA-Z]/.test(c) && source[i - 1] !== '{') {
      out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
    } else {
      out += c;
    }
  }
  return out;
}

/** The validation pipe refuses unknown fields: say so in the schema. */
function closed(schema: SchemaObject): SchemaObject {
  return { ...schema, additionalProperties: false };
}
