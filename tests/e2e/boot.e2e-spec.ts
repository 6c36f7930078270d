import { Controller, Get } from '@nestjs/common';
import { definePlugin, Public } from '@plein/sdk';
import { createTestIntranet, type TestIntranet } from '@plein/sdk/testing';
import kudos from '@plein/example-kudos';
import { ledger } from '../fixtures/ledger/ledger.plugin';

@Controller()
class OpenController {
  @Get() @Public() hello() {
    return { hello: 'world' };
  }
}

@Controller()
class ForgetfulController {
  @Get() forgot() {
    return {};
  }
}

const broken = (failurePolicy?: 'abort' | 'disable') =>
  definePlugin({ id: 'broken', version: '1.0.0', sdk: '^1.0.0', displayName: 'Broken', controllers: [ForgetfulController], failurePolicy });

describe('boot', () => {
  it('refuses to boot when a plugin is invalid, naming plugin, expectation and fact', async () => {
    await expect(createTestIntranet({ plugins: [broken()] })).rejects.toThrow(
      "Plugin 'broken': expected route ForgetfulController.forgot to name a permission (@RequirePermission) or be @Public(), found neither",
    );
  });

  it('refuses to boot on a missing dependency', async () => {
    const needy = definePlugin({ id: 'needy', version: '1.0.0', sdk: '^1.0.0', displayName: 'Needy', dependsOn: ['wiki'] });
    await expect(createTestIntranet({ plugins: [needy] })).rejects.toThrow("Plugin 'needy': expected the plugin 'wiki' it depends on, found that it is not installed");
  });

  it('refuses a configured package that is not a plugin', async () => {
    await expect(createTestIntranet({ plugins: ['@plein/no-such-plugin'] })).rejects.toThrow(/Plugin '@plein\/no-such-plugin': expected an installed package or a path to one/);
  });

  describe('with the disable failure policy', () => {
    let intranet: TestIntranet;
    beforeAll(async () => {
      const open = definePlugin({ id: 'open', version: '1.0.0', sdk: '^1.0.0', displayName: 'Open', controllers: [OpenController] });
      intranet = await createTestIntranet({ plugins: [broken('disable'), open, ledger] });
    });
    afterAll(() => intranet.close());

    it('boots the rest and shows the failed plugin with the reason', async () => {
      await intranet.http.get('/api/v1/open').expect(200, { hello: 'world' });
      const admin = await intranet.createUser({ roles: ['admin'] });
      const res = await admin.http.get('/api/v1/plugins').expect(200);
      const failed = res.body.items.find((p: { id: string }) => p.id === 'broken');
      expect(failed).toMatchObject({ state: 'failed', reason: expect.stringContaining('ForgetfulController.forgot') });
      await intranet.http.get('/api/v1/broken').expect(404);
    });

    it('reports health with the engine, the queue and every plugin state', async () => {
      const res = await intranet.http.get('/api/v1/health').expect(200);
      expect(res.body).toEqual({
        status: 'ok',
        database: intranet.engine,
        queue: intranet.queue,
        plugins: expect.arrayContaining([
          { id: 'broken', version: '1.0.0', state: 'failed' },
          { id: 'open', version: '1.0.0', state: 'enabled' },
          { id: 'ledger', version: '1.0.0', state: 'enabled' },
        ]),
      });
    });
  });

  describe('HTTP errors', () => {
    let intranet: TestIntranet;
    beforeAll(async () => {
      intranet = await createTestIntranet({ plugins: [kudos] });
    });
    afterAll(() => intranet.close());

    it('answers unknown routes with a 404 problem', async () => {
      const res = await intranet.http.get('/api/v1/nope').expect(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).toMatchObject({ status: 404, title: 'Not Found' });
    });

    it('answers malformed JSON with a 400 problem, not a 500', async () => {
      const user = await intranet.createUser();
      const res = await user.http.post('/api/v1/kudos').set('content-type', 'application/json').send('{"toUserId": ').expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    });

    it('answers an oversized body with 413', async () => {
      const user = await intranet.createUser();
      const res = await user.http.post('/api/v1/kudos').send({ toUserId: 'x', message: 'a'.repeat(2 * 1024 * 1024) }).expect(413);
      expect(res.headers['content-type']).toContain('application/problem+json');
    });

    it('answers a bad bearer token with 401 and a bad limit with 422 naming the field', async () => {
      await intranet.http.get('/api/v1/kudos').set('authorization', 'Bearer nope').expect(401);
      const res = await intranet.http.get('/api/v1/kudos?limit=1000').expect(422);
      expect(res.body.errors).toEqual([{ field: 'limit', message: 'must be a whole number from 1 to 100' }]);
      const cursor = await intranet.http.get('/api/v1/kudos?cursor=%%%').expect(422);
      expect(cursor.body.errors[0].field).toBe('cursor');
    });
  });
});
