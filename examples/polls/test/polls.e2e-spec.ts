import { Contents, Jobs } from '@plein/sdk';
import { createTestIntranet, type TestHttp, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import polls, { closeDuePolls } from '../src';

const PASSWORD = 'correct horse battery staple';

interface PollBody {
  id: string;
  contentId: string;
  status: string;
  open: boolean;
  totalVotes: number;
  myVote: string | null;
  closedAt: string | null;
  options: Array<{ id: string; label: string; votes: number; percent: number }>;
}

describe('polls', () => {
  let intranet: TestIntranet;
  let ada: TestUser;
  let bob: TestUser;
  let cy: TestUser;

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [polls] });
    ada = await intranet.createUser({
      handle: 'ada',
      displayName: 'Ada Lovelace',
      email: 'ada@example.test',
      password: PASSWORD,
    });
    bob = await intranet.createUser({ handle: 'bob', displayName: 'Bob Builder' });
    cy = await intranet.createUser({ handle: 'cy', displayName: 'Cy Young' });
    // Stands in for the moderation plugin: holds polls that mention "secret".
    intranet.get(Contents).registerGate({
      name: 'polls-test',
      check: (input) =>
        /secret/i.test(input.text) ? { action: 'hold', reason: 'Secrets are reviewed first' } : { action: 'publish' },
    });
  }, 60_000);
  afterAll(() => intranet.close());

  const ask = (who: TestUser, question: string, options = ['Yes', 'No'], extra: Record<string, unknown> = {}) =>
    who.http.post('/api/v1/polls').send({ question, options, ...extra });

  it('lets a member ask a poll with 2 to 10 options, and names the field when the options are wrong', async () => {
    const created = await ask(ada, 'Lunch at noon?', ['Yes', 'No', 'Only on Fridays']).expect(201);
    expect(created.body).toMatchObject({
      question: 'Lunch at noon?',
      type: 'polls.poll',
      status: 'published',
      open: true,
      totalVotes: 0,
      author: { handle: 'ada' },
    });
    expect(created.body.options.map((o: { label: string }) => o.label)).toEqual(['Yes', 'No', 'Only on Fridays']);
    for (const options of [
      ['Only one'],
      Array.from({ length: 11 }, (_, i) => `Option ${i}`),
      ['Same', 'same'],
      'Yes',
    ]) {
      const res = await ask(ada, 'Bad options?', options as string[]).expect(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('options');
    }
    const past = await ask(ada, 'Yesterday?', ['Yes', 'No'], { closesAt: '2000-01-01T00:00:00Z' }).expect(422);
    expect(past.body.errors).toEqual([{ field: 'closesAt', message: 'must be in the future' }]);
    const unknown = await ask(ada, 'Admin?', ['Yes', 'No'], { admin: true }).expect(422);
    expect(unknown.body.errors.map((e: { field: string }) => e.field)).toContain('admin');
    await intranet.http
      .post('/api/v1/polls')
      .send({ question: 'Who am I?', options: ['a', 'b'] })
      .expect(401);
  });

  it('counts one vote per person: a second vote is a 409 and changes nothing', async () => {
    const poll: PollBody = (await ask(ada, 'Friday drinks?').expect(201)).body;
    const [yes, no] = poll.options;
    const voted = await bob.http.post(`/api/v1/polls/${poll.id}/votes`).send({ optionId: yes.id }).expect(201);
    expect(voted.body).toMatchObject({ totalVotes: 1, myVote: yes.id });
    const again = await bob.http.post(`/api/v1/polls/${poll.id}/votes`).send({ optionId: no.id }).expect(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.body.detail).toBe('You already voted on this poll');
    await cy.http.post(`/api/v1/polls/${poll.id}/votes`).send({ optionId: no.id }).expect(201);
    const results: PollBody = (await intranet.http.get(`/api/v1/polls/${poll.id}`).expect(200)).body;
    expect(results.options.map((o) => [o.votes, o.percent])).toEqual([
      [1, 50],
      [1, 50],
    ]);
    expect(
      intranet.events.filter(
        (e) => e.name === 'polls.poll.voted' && (e.payload as { pollId: string }).pollId === poll.id,
      ),
    ).toHaveLength(2);
  });

  it('refuses an anonymous vote with 401, a foreign option with 422 and an unknown poll with 404', async () => {
    const poll: PollBody = (await ask(ada, 'Tea or coffee?', ['Tea', 'Coffee']).expect(201)).body;
    const other: PollBody = (await ask(ada, 'Cats or dogs?', ['Cats', 'Dogs']).expect(201)).body;
    await intranet.http.post(`/api/v1/polls/${poll.id}/votes`).send({ optionId: poll.options[0].id }).expect(401);
    const foreign = await bob.http
      .post(`/api/v1/polls/${poll.id}/votes`)
      .send({ optionId: other.options[0].id })
      .expect(422);
    expect(foreign.body.errors).toEqual([{ field: 'optionId', message: 'not an option of this poll' }]);
    await bob.http.post('/api/v1/polls/no-such-poll/votes').send({ optionId: 'x' }).expect(404);
  });

  it('lets the author or a moderator close a poll, refuses others, and tells the voters through a durable handler', async () => {
    const poll: PollBody = (await ask(ada, 'New chairs?').expect(201)).body;
    await bob.http.post(`/api/v1/polls/${poll.id}/votes`).send({ optionId: poll.options[0].id }).expect(201);
    await cy.http.post(`/api/v1/polls/${poll.id}/close`).expect(403);
    const closed = await ada.http.post(`/api/v1/polls/${poll.id}/close`).expect(200);
    expect(closed.body).toMatchObject({ open: false, closedAt: expect.any(String) });
    await ada.http.post(`/api/v1/polls/${poll.id}/close`).expect(409);
    const late = await cy.http
      .post(`/api/v1/polls/${poll.id}/votes`)
      .send({ optionId: poll.options[1].id })
      .expect(409);
    expect(late.body.detail).toBe('This poll is closed');
    await intranet.runDueJobs(); // delivers polls.poll.closed to the durable handler
    const inbox = await bob.http.get('/api/v1/notifications').expect(200);
    expect(inbox.body.items).toContainEqual(
      expect.objectContaining({ kind: 'polls.closed', title: 'Poll closed: New chairs?', url: `/polls/${poll.id}` }),
    );
    const moderator = await intranet.createUser({ roles: ['moderator'] });
    const another: PollBody = (await ask(ada, 'Standing desks?').expect(201)).body;
    await moderator.http.post(`/api/v1/polls/${another.id}/close`).expect(200);
  });

  it('closes a poll at its end time through the scheduled job', async () => {
    const inAnHour = new Date(intranet.clock.now().getTime() + 3600_000).toISOString();
    const poll: PollBody = (await ask(ada, 'Team outing in June?', ['Yes', 'No'], { closesAt: inAnHour }).expect(201))
      .body;
    await intranet.get(Jobs).enqueue(closeDuePolls, {});
    await intranet.runDueJobs();
    expect((await intranet.http.get(`/api/v1/polls/${poll.id}`).expect(200)).body).toMatchObject({
      open: true,
      closedAt: null,
    });
    intranet.clock.advance(2 * 3600_000);
    // The test clock does not drive BullMQ's repeat timers: run the job's effect directly.
    await intranet.get(Jobs).enqueue(closeDuePolls, {});
    await intranet.runDueJobs();
    const after: PollBody = (await intranet.http.get(`/api/v1/polls/${poll.id}`).expect(200)).body;
    expect(after).toMatchObject({ open: false, closedAt: expect.any(String) });
    expect(intranet.events).toContainEqual(
      expect.objectContaining({ name: 'polls.poll.closed', payload: { pollId: poll.id, closedBy: null } }),
    );
  });

  it('is content: a held poll shows only to its author, a hidden one to nobody, and search and activity find published ones', async () => {
    const held: PollBody = (await ask(ada, 'Share the secret salary list?').expect(201)).body;
    expect(held.status).toBe('pending');
    await intranet.http.get(`/api/v1/polls/${held.id}`).expect(404);
    await ada.http.get(`/api/v1/polls/${held.id}`).expect(200);
    const anonymousList = await intranet.http.get('/api/v1/polls').query({ limit: 100 }).expect(200);
    expect(anonymousList.body.items.map((p: PollBody) => p.id)).not.toContain(held.id);

    const shown: PollBody = (await ask(ada, 'Quarterly hackathon theme?', ['Accessibility', 'Performance']).expect(201))
      .body;
    await intranet.runDueJobs(); // search and activity are kept by durable handlers
    const found = await bob.http.get('/api/v1/search').query({ q: 'hackathon' }).expect(200);
    expect(found.body.items).toContainEqual(expect.objectContaining({ contentId: shown.contentId }));
    const activity = await bob.http.get('/api/v1/activity').query({ plugin: 'polls' }).expect(200);
    expect(activity.body.items).toContainEqual(expect.objectContaining({ contentId: shown.contentId }));

    await intranet.get(Contents).setStatus(shown.contentId, 'hidden', { actorId: null, reason: 'test' });
    await bob.http.get(`/api/v1/polls/${shown.id}`).expect(404);
    const list = await bob.http.get('/api/v1/polls').query({ limit: 100 }).expect(200);
    expect(list.body.items.map((p: PollBody) => p.id)).not.toContain(shown.id);
  });

  describe('pages', () => {
    let browser: { http: TestHttp; csrf: string };

    beforeAll(async () => {
      const http = intranet.agent();
      await http.post('/api/v1/auth/login').send({ email: 'ada@example.test', password: PASSWORD }).expect(200);
      browser = { http, csrf: (await http.get('/api/v1/auth/csrf').expect(200)).body.token };
    });

    it('lists polls with their questions escaped', async () => {
      await ask(bob, '<script>alert(1)</script>?').expect(201);
      const page = await intranet.http.get('/polls').expect(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;?');
      expect(page.text).not.toContain('<script>alert(1)');
      expect(page.text).toContain('Friday drinks?');
    });

    it('votes through the form with its CSRF token, says so in a flash, and shows the results instead of the form', async () => {
      const poll: PollBody = (await ask(bob, 'Move stand-up to 9:30?').expect(201)).body;
      const form = await browser.http.get(`/polls/${poll.id}`).expect(200);
      expect(form.text).toContain(`<form method="post" action="/polls/${poll.id}/vote"`);
      expect(form.text).toContain('name="_csrf"');
      await browser.http.post(`/polls/${poll.id}/vote`).type('form').send({ optionId: poll.options[0].id }).expect(403);
      const sent = await browser.http
        .post(`/polls/${poll.id}/vote`)
        .type('form')
        .send({ _csrf: browser.csrf, optionId: poll.options[0].id })
        .expect(303);
      expect(sent.headers.location).toBe(`/polls/${poll.id}`);
      const after = await browser.http.get(`/polls/${poll.id}`).expect(200);
      expect(after.text).toContain('Your vote is counted.');
      expect(after.text).not.toContain(`action="/polls/${poll.id}/vote"`);
      expect(after.text).toContain('Yes: 1 vote (100%) · your vote');
      await browser.http
        .post(`/polls/${poll.id}/vote`)
        .type('form')
        .send({ _csrf: browser.csrf, optionId: poll.options[1].id })
        .expect(303);
      const again = await browser.http.get(`/polls/${poll.id}`).expect(200);
      expect(again.text).toContain('Your vote was not counted');
      expect((await intranet.http.get(`/api/v1/polls/${poll.id}`).expect(200)).body.totalVotes).toBe(1);
    });
  });
});
