import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { HttpAdapterHost } from '@nestjs/core';
import kudos from '@plein/example-kudos';
import { createTestIntranet, type TestIntranet } from '@plein/sdk/testing';
import request from 'supertest';
import { ledger } from '../fixtures/ledger/ledger.plugin';
import { mountedRoutes } from './routes';

jest.setTimeout(60_000);

const REPO = join(__dirname, '../..');

/**
 * Validates with @seriousme/openapi-schema-validator. It is an ES module, which Jest's CommonJS
 * runtime cannot load, so it runs in a child Node process.
 */
function validateOpenApi(document: unknown): { valid: boolean; errors?: unknown } {
  const script = [
    "import { Validator } from '@seriousme/openapi-schema-validator';",
    "let input = '';",
    'process.stdin.on("data", (d) => (input += d));',
    'process.stdin.on("end", async () => process.stdout.write(JSON.stringify(await new Validator().validate(JSON.parse(input)))));',
  ].join('\n');
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: REPO,
    input: JSON.stringify(document),
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`the OpenAPI validator did not run: ${child.stderr}`);
  return JSON.parse(child.stdout) as { valid: boolean; errors?: unknown };
}

type Operation = {
  operationId: string;
  requestBody?: { required?: boolean; content: Record<string, { schema: { $ref?: string } }> };
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: Record<string, unknown> }>;
  responses: Record<string, { $ref?: string }>;
  security?: Array<Record<string, string[]>>;
  tags?: string[];
  'x-permission'?: string;
};
type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
  pattern?: string;
  additionalProperties?: boolean;
};
type Document = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, Schema>;
    securitySchemes: Record<string, Record<string, string>>;
    responses: Record<string, unknown>;
  };
};

describe('OpenAPI', () => {
  let intranet: TestIntranet;
  let http: ReturnType<typeof request>;
  let document: Document;

  const operation = (method: string, path: string): Operation => {
    const found = document.paths[path]?.[method];
    if (!found) throw new Error(`the document has no ${method.toUpperCase()} ${path}`);
    return found;
  };
  const bodySchema = (op: Operation): Schema => {
    const ref = op.requestBody?.content['application/json']?.schema.$ref ?? '';
    const schema = document.components.schemas[ref.replace('#/components/schemas/', '')];
    if (!schema) throw new Error(`${op.operationId}: request body schema '${ref}' is not in components.schemas`);
    return schema;
  };

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [kudos, ledger] });
    http = request(intranet.get(HttpAdapterHost).httpAdapter.getHttpServer());
    const res = await http
      .get('/api/docs-json')
      .expect(200)
      .expect('content-type', /application\/json/);
    document = res.body as Document;
  });
  afterAll(() => intranet.close());

  it('serves a valid OpenAPI 3.1 document at /api/docs-json, to anyone', async () => {
    expect(document.openapi).toBe('3.1.0');
    expect(validateOpenApi(document)).toEqual({ valid: true });
  });

  it('control: the validator refuses a document that breaks the specification', () => {
    const broken = { ...document, info: undefined, paths: { 'no-leading-slash': {} } };
    expect(validateOpenApi(broken).valid).toBe(false);
  });

  it('documents every mounted /api/v1 route of core and plugins, and no page, docs or static route', () => {
    const documented = Object.entries(document.paths)
      .flatMap(([path, item]) =>
        Object.keys(item).map((method) => `${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`),
      )
      .sort();
    const mounted = mountedRoutes(intranet);
    const api = mounted.filter((r) => r.kind === 'api').map((r) => r.key);
    expect(documented).toEqual([...api].sort());
    // The comparison covers plugins and leaves the rest out.
    expect(api).toEqual(
      expect.arrayContaining(['POST /api/v1/kudos', 'POST /api/v1/ledger/entries', 'POST /api/v1/spaces']),
    );
    expect(mounted.filter((r) => r.kind !== 'api').map((r) => r.key)).toEqual(
      expect.arrayContaining(['GET /kudos', 'GET /api/docs']),
    );
  });

  it('gives each operation a unique id and its owner as tag', () => {
    const operations = Object.values(document.paths).flatMap((item) => Object.values(item));
    const ids = operations.map((op) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(operation('post', '/api/v1/kudos').tags).toEqual(['kudos']);
    expect(operation('post', '/api/v1/spaces').tags).toEqual(['core']);
  });

  it('describes POST /api/v1/spaces with the schema of its DTO, from the class-validator rules', () => {
    const op = operation('post', '/api/v1/spaces');
    expect(op.requestBody?.required).toBe(true);
    const schema = bodySchema(op);
    expect(schema).toMatchObject({
      type: 'object',
      additionalProperties: false,
      properties: {
        slug: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,62}$' },
        name: { type: 'string', minLength: 1, maxLength: 191 },
        description: { type: 'string', maxLength: 5000 },
        visibility: { enum: ['public', 'private'] },
        joinPolicy: { enum: ['open', 'request', 'invite'] },
      },
    });
    expect([...(schema.required ?? [])].sort()).toEqual(['joinPolicy', 'name', 'slug', 'visibility']);
  });

  it("describes plugins' request bodies the same way", () => {
    const schema = bodySchema(operation('post', '/api/v1/kudos'));
    expect(schema.properties).toEqual({
      toUserId: expect.objectContaining({ type: 'string' }),
      message: expect.objectContaining({ type: 'string', maxLength: 1000 }),
    });
    expect(schema.required).toEqual(['toUserId', 'message']);
    expect(operation('get', '/api/v1/kudos').requestBody).toBeUndefined();
  });

  it('keeps what the validation pipe accepts: nullable enums, case-insensitive patterns', () => {
    expect(bodySchema(operation('patch', '/api/v1/me')).properties?.locale).toEqual({
      enum: ['en', 'nl', null],
      type: ['string', 'null'],
    });
    // @Matches(/^[a-z0-9][a-z0-9_.-]{1,31}$/i): the API accepts 'Ada.Lovelace', so must the schema.
    const handle = bodySchema(operation('post', '/api/v1/users')).properties?.handle;
    expect(new RegExp(handle!.pattern!).test('Ada.Lovelace')).toBe(true);
    expect(new RegExp(handle!.pattern!).test('-ada')).toBe(false);
  });

  it('documents path parameters, and ?limit and ?cursor as optional query parameters', () => {
    expect(operation('delete', '/api/v1/spaces/{space}/members/{userId}').parameters).toEqual([
      expect.objectContaining({ name: 'space', in: 'path', required: true }),
      expect.objectContaining({ name: 'userId', in: 'path', required: true }),
    ]);
    expect(operation('get', '/api/v1/kudos').parameters).toEqual([
      expect.objectContaining({
        name: 'limit',
        in: 'query',
        required: false,
        schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
      }),
      expect.objectContaining({ name: 'cursor', in: 'query', required: false, schema: { type: 'string' } }),
    ]);
  });

  it('declares bearer-token and session-cookie security, the permission each operation needs, and problem+json errors', () => {
    expect(document.components.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      session: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'plein_session' }),
    });
    const give = operation('post', '/api/v1/kudos');
    expect(give['x-permission']).toBe('kudos.kudo.give');
    expect(give.security).toEqual([{ bearer: [] }, { session: [] }]);
    expect(Object.keys(give.responses)).toEqual(expect.arrayContaining(['201', '401', '403', '422', 'default']));
    expect(give.responses['422'].$ref).toBe('#/components/responses/Problem');
    expect(document.components.responses.Problem).toMatchObject({
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    });
    const health = operation('get', '/api/v1/health');
    expect(health.security).toContainEqual({});
    expect(health['x-permission']).toBeUndefined();
    expect(health.responses['401']).toBeUndefined();
  });

  it('serves Swagger UI at /api/docs under the site CSP: no inline script or style, every asset from this site', async () => {
    const page = await http
      .get('/api/docs')
      .expect(200)
      .expect('content-type', /text\/html/);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page.text).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets).toEqual(
      expect.arrayContaining(['/api/docs/swagger-ui-bundle.js', '/api/docs/swagger-ui.css', '/api/docs/plein-init.js']),
    );
    for (const asset of assets) {
      expect(asset.startsWith('/')).toBe(true);
      const res = await http.get(asset);
      expect({ asset, status: res.status }).toEqual({ asset, status: 200 });
      expect(res.headers['content-type']).toMatch(
        asset.endsWith('.js') ? /javascript/ : asset.endsWith('.css') ? /text\/css/ : /image\/png/,
      );
    }
    const init = await http.get('/api/docs/plein-init.js');
    expect(init.text).toContain("url: '/api/docs-json'");
  });

  it('serves only the Swagger UI files the page needs from swagger-ui-dist', async () => {
    // index.html there carries an inline script pointed at the Petstore example.
    await http.get('/api/docs/index.html').expect(404);
    await http.get('/api/docs/package.json').expect(404);
    await http.get('/api/docs/').expect(301).expect('location', '/api/docs');
  });
});
