// Approved templates enforced where the send happens: the Worker under workerd
// against a fake provider that lists its templates (one of every kind). Every
// refusal sends nothing; a right send goes through with the server-side key; a
// miss refetches the list once; TEMPLATE_CHECK decides when the list cannot be
// had; an operator replaces the list with an admin token, a client token cannot.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { fakeProvider, startWorker, send, repositoryTemplates } from './harness.mjs';

const TOKEN = 'client-token-0123456789abcdef';
const ADMIN = 'admin-token-fedcba9876543210';
const KEY = 'provider-key-templates-4242';
const TO = '+919876543210';
let provider;
let worker;

const fast = { RATE_PER_SECOND: '1000', RATE_PER_MINUTE: '100000' };
const post = (payload, base = worker.url) => send(base, payload, { token: TOKEN });
const order = (params, language = 'en', name = 'order_confirmation') => ({
  to: TO, type: 'template',
  template: { name, language, components: [
    { type: 'body', parameters: params.map((text) => ({ type: 'text', text })) },
    { type: 'button', sub_type: 'url', index: 0, parameters: [{ type: 'text', text: 'ORD-789' }] },
  ] },
});
const noSecrets = (r) => {
  assert.ok(!r.text.includes(KEY), 'the provider key stays in the Worker');
  assert.ok(!r.text.includes(ADMIN), 'the admin token is never echoed');
};

before(async () => {
  provider = await fakeProvider({ templates: repositoryTemplates() });
  worker = await startWorker({ UPSTREAM_URL: provider.url, UPSTREAM_API_KEY: KEY, CLIENT_TOKENS: TOKEN, ADMIN_TOKENS: `ops:${ADMIN}`, ...fast });
});
after(async () => {
  await worker?.stop();
  await provider?.close();
});
beforeEach(() => provider.reset());

test('a template whose parameters do not match is refused with the RULES.md codes, and nothing is sent', async () => {
  const r = await post(order(['John']));
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.code, 'invalid_payload');
  assert.deepEqual(r.json.errors.map((e) => [e.code, e.path]), [['template_param_count', '/template/components/0/parameters']]);
  assert.match(r.json.message, /132000/);
  noSecrets(r);
  assert.equal(provider.sends().length, 0);
});

test('an unknown template, or one in another language, is 404 template_not_found with a suggestion', async () => {
  const typo = await post(order(['John', 'ORD-789'], 'en', 'order_confirmaton'));
  assert.equal(typo.status, 404, typo.text);
  assert.equal(typo.json.code, 'template_not_found');
  assert.equal(typo.json.suggestion, 'order_confirmation');
  const spanish = await post(order(['John', 'ORD-789'], 'es'));
  assert.equal(spanish.status, 404);
  assert.equal(spanish.json.code, 'template_not_found');
  assert.deepEqual(spanish.json.languages, ['en', 'pt_BR']);
  assert.match(spanish.json.suggestion, /en, pt_BR/);
  assert.equal(provider.sends().length, 0);
});

test('a paused template is 409 template_not_approved, naming its status', async () => {
  const r = await post({ to: TO, type: 'template', template: { name: 'summer_promo', language: 'en', components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] }] } });
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.code, 'template_not_approved');
  assert.equal(r.json.template_status, 'PAUSED');
  assert.match(r.json.message, /PAUSED/);
  assert.equal(provider.sends().length, 0);
});

test('a template that matches goes through, with the server-side key', async () => {
  for (const p of [order(['John', 'ORD-789']), order(['João', 'PED-1'], 'pt_BR'),
    { to: TO, type: 'template', template: { name: 'verification_code', language: 'en', components: [
      { type: 'body', parameters: [{ type: 'text', text: '123456' }] },
      { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '123456' }] }] } }]) {
    const r = await post(p);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers['x-wasend-warning'], undefined);
  }
  assert.equal(provider.sends().length, 3);
  assert.ok(provider.sends().every((s) => s.headers['x-api-key'] === KEY));
});

test('a template the cached list lacks makes the Worker ask the provider again, once', async () => {
  // The list was fetched by the sends above; a refetch on a miss waits out 5 s.
  await new Promise((r) => setTimeout(r, 5_500));
  provider.setTemplates([...repositoryTemplates(), { name: 'flash_sale', language: 'en', status: 'APPROVED', category: 'MARKETING', components: [{ type: 'BODY', text: 'Flash sale: {{1}}' }] }]);
  const before_ = provider.templateFetches();
  const r = await post({ to: TO, type: 'template', template: { name: 'flash_sale', language: 'en', components: [{ type: 'body', parameters: [{ type: 'text', text: '20% off' }] }] } });
  assert.equal(r.status, 200, r.text);
  assert.equal(provider.templateFetches(), before_ + 1, 'one refetch on the miss');
  const unknown = await post({ to: TO, type: 'template', template: { name: 'never_approved', language: 'en' } });
  assert.equal(unknown.status, 404);
  assert.equal(provider.templateFetches(), before_ + 1, 'a second miss right after does not refetch');
  provider.setTemplates(repositoryTemplates());
});

test('an operator replaces the approved templates; a client token cannot', async () => {
  const put = (token, body) => fetch(`${worker.url}/api/admin/templates`, {
    method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const mine = [{ name: 'local_only', language: 'en', status: 'APPROVED', components: [{ type: 'BODY', text: 'Hi {{1}}' }] }];
  assert.equal((await put(TOKEN, mine)).status, 403);
  assert.equal((await put('nobody', mine)).status, 401);
  const bad = await put(ADMIN, [{ language: 'en' }]);
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /definition 0/);
  const ok = await put(ADMIN, mine);
  assert.equal(ok.status, 200);
  assert.deepEqual((await ok.json()).data, { templates: 1, source: 'operator' });
  const listed = await (await fetch(`${worker.url}/api/templates`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
  assert.equal(listed.source, 'operator');
  assert.deepEqual(listed.data.map((t) => t.name), ['local_only']);
  const r = await post({ to: TO, type: 'template', template: { name: 'local_only', language: 'en', components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] }] } });
  assert.equal(r.status, 200, r.text);
  assert.equal((await post(order(['John', 'ORD-789']))).status, 404, "the operator's list is the whole list");
  const reset = await fetch(`${worker.url}/api/admin/templates`, { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN}` } });
  assert.equal(reset.status, 200);
  assert.equal((await reset.json()).data.source, 'upstream');
  assert.equal((await post(order(['John', 'ORD-789']))).status, 200);
  const asClient = await fetch(`${worker.url}/api/admin/templates`, { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(asClient.status, 403);
});

test('when the list cannot be had: lenient sends with a warning, strict refuses with Retry-After and sends nothing', async () => {
  const failing = await fakeProvider({ templates: repositoryTemplates() });
  failing.failTemplates({ status: 500, body: { message: 'boom', status: 'error' } });
  const lenient = await startWorker({ UPSTREAM_URL: failing.url, UPSTREAM_API_KEY: KEY, CLIENT_TOKENS: TOKEN, ...fast });
  const strict = await startWorker({ UPSTREAM_URL: failing.url, UPSTREAM_API_KEY: KEY, CLIENT_TOKENS: TOKEN, TEMPLATE_CHECK: 'strict', ...fast });
  try {
    const sent = await post(order(['John', 'ORD-789']), lenient.url);
    assert.equal(sent.status, 200, sent.text);
    assert.match(sent.headers['x-wasend-warning'], /^template not checked: cannot list the provider's templates/);
    assert.equal(failing.sends().length, 1);
    const refused = await post(order(['John', 'ORD-789']), strict.url);
    assert.equal(refused.status, 503, refused.text);
    assert.equal(refused.json.code, 'templates_unavailable');
    assert.equal(refused.headers['retry-after'], '30');
    noSecrets(refused);
    assert.equal(failing.sends().length, 1, 'strict sent nothing');
    const text = await post({ to: TO, type: 'text', text: 'hi' }, strict.url);
    assert.equal(text.status, 200, 'only template sends depend on the list');
  } finally {
    await lenient.stop();
    await strict.stop();
    await failing.close();
  }
});

test('the list is kept TEMPLATES_TTL_S, then fetched again', async () => {
  const short = await startWorker({ UPSTREAM_URL: provider.url, UPSTREAM_API_KEY: KEY, CLIENT_TOKENS: TOKEN, TEMPLATES_TTL_S: '1', ...fast });
  try {
    const before_ = provider.templateFetches();
    assert.equal((await post(order(['John', 'ORD-789']), short.url)).status, 200);
    assert.equal((await post(order(['Ana', 'ORD-790']), short.url)).status, 200);
    assert.equal(provider.templateFetches(), before_ + 1, 'kept within its time');
    await new Promise((r) => setTimeout(r, 1_200));
    assert.equal((await post(order(['Ana', 'ORD-791']), short.url)).status, 200);
    assert.equal(provider.templateFetches(), before_ + 2, 'fetched again after it');
  } finally {
    await short.stop();
  }
});
