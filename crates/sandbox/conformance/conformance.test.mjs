// Stripe's official Node library (npm `stripe`), pointed at the Appdeck
// sandbox: the sandbox must look like Stripe to a client no one here wrote.
// Run through ./run.sh, which starts the sandbox and sets SANDBOX_INFO to the
// JSON line `serve --json` prints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, control, info } from './support.mjs';

const stripe = connect(info.accounts[0].secret_key);

test('customers: create, retrieve, update, delete, search, errors', async () => {
  const created = await stripe.customers.create({
    email: 'node@example.com',
    name: 'Node Client',
    metadata: { plan: 'pro', seats: '3' },
    address: { city: 'Lisbon', country: 'PT' },
  });
  assert.match(created.id, /^cus_/);
  assert.equal(created.object, 'customer');
  assert.deepEqual(created.metadata, { plan: 'pro', seats: '3' });
  assert.equal(created.address.city, 'Lisbon');
  assert.match(created.lastResponse.requestId, /^req_/);

  const got = await stripe.customers.retrieve(created.id);
  assert.equal(got.email, 'node@example.com');

  const updated = await stripe.customers.update(created.id, { name: 'Renamed', metadata: { seats: '' } });
  assert.equal(updated.name, 'Renamed');
  assert.deepEqual(updated.metadata, { plan: 'pro' });

  const found = await stripe.customers.search({ query: "email:'node@example.com'" });
  assert.equal(found.data.length, 1);
  assert.equal(found.data[0].id, created.id);

  const deleted = await stripe.customers.del(created.id);
  assert.equal(deleted.deleted, true);

  await assert.rejects(stripe.customers.retrieve('cus_doesnotexist'), (err) => {
    assert.equal(err.type, 'StripeInvalidRequestError');
    assert.equal(err.statusCode, 404);
    assert.equal(err.code, 'resource_missing');
    assert.match(err.requestId, /^req_/);
    return true;
  });
  await assert.rejects(stripe.customers.create({ bogus_param: 'x' }), (err) => {
    assert.equal(err.code, 'parameter_unknown');
    assert.equal(err.param, 'bogus_param');
    return true;
  });
  await assert.rejects(connect('sk_test_notakey000000000000000').customers.list(), (err) => {
    assert.equal(err.type, 'StripeAuthenticationError');
    assert.equal(err.statusCode, 401);
    return true;
  });
});

test('customers: list with pagination, automatic and manual', async () => {
  const own = connect(info.accounts[1].secret_key);
  const created = [];
  for (let i = 0; i < 23; i++) {
    created.push((await own.customers.create({ email: `page${i}@example.com` })).id);
  }
  const seen = [];
  await own.customers.list({ limit: 5 }).autoPagingEach((c) => {
    seen.push(c.id);
  });
  assert.equal(new Set(seen).size, seen.length, 'no customer twice');
  for (const id of created) assert.ok(seen.includes(id), `autoPagingEach reached ${id}`);
  assert.equal(seen.length, 23 + 3, 'created plus the seeded three');

  const first = await own.customers.list({ limit: 10 });
  assert.equal(first.object, 'list');
  assert.equal(first.url, '/v1/customers');
  assert.equal(first.has_more, true);
  assert.equal(first.data[0].id, created.at(-1), 'newest first');
  let page = first;
  const manual = [...first.data.map((c) => c.id)];
  while (page.has_more) {
    page = await own.customers.list({ limit: 10, starting_after: page.data.at(-1).id });
    manual.push(...page.data.map((c) => c.id));
  }
  assert.deepEqual(manual, seen, 'manual and automatic pagination agree');
  const back = await own.customers.list({ limit: 3, ending_before: manual[5] });
  assert.deepEqual(back.data.map((c) => c.id), manual.slice(2, 5));
});

test('idempotency keys replay the first response', async () => {
  const a = await stripe.customers.create({ email: 'idem@example.com' }, { idempotencyKey: 'node-conformance-1' });
  const b = await stripe.customers.create({ email: 'idem@example.com' }, { idempotencyKey: 'node-conformance-1' });
  assert.equal(a.id, b.id);
  await assert.rejects(
    stripe.customers.create({ email: 'other@example.com' }, { idempotencyKey: 'node-conformance-1' }),
    (err) => err.type === 'StripeIdempotencyError',
  );
});

test('app secrets: set, find, list, delete', async () => {
  const scope = { type: 'account' };
  const set = await stripe.apps.secrets.create({ name: 'node_token', payload: 'first', scope });
  assert.match(set.id, /^appsecret_/);
  assert.equal(set.object, 'apps.secret');
  await stripe.apps.secrets.create({ name: 'node_token', payload: 'second', scope });
  await stripe.apps.secrets.create({
    name: 'user_token',
    payload: 'u',
    scope: { type: 'user', user: 'usr_conformance' },
  });

  const found = await stripe.apps.secrets.find({ name: 'node_token', scope, expand: ['payload'] });
  assert.equal(found.payload, 'second', 'create replaces');
  const hidden = await stripe.apps.secrets.find({ name: 'node_token', scope });
  assert.equal(hidden.payload, undefined, 'payload only when expanded');

  const listed = await stripe.apps.secrets.list({ scope });
  assert.deepEqual(listed.data.map((s) => s.name), ['node_token']);
  const users = await stripe.apps.secrets.list({ scope: { type: 'user', user: 'usr_conformance' } });
  assert.equal(users.data.length, 1);

  const deleted = await stripe.apps.secrets.deleteWhere({ name: 'node_token', scope });
  assert.equal(deleted.deleted, true);
  await assert.rejects(stripe.apps.secrets.find({ name: 'node_token', scope }), (err) => err.statusCode === 404);
});

test('an OAuth access token works as an API key and is held to its permissions', async () => {
  await control('/settings', { auto_consent: true });
  const authorize = new URL(`${info.base_url}/oauth/v2/authorize`);
  authorize.searchParams.set('client_id', info.app.client_id);
  authorize.searchParams.set('state', 'node');
  const redirect = await fetch(authorize, { redirect: 'manual' });
  assert.equal(redirect.status, 302);
  const code = new URL(redirect.headers.get('location')).searchParams.get('code');
  const token = await fetch(`${info.base_url}/v1/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${info.developer.secret_key}:`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'authorization_code', code }),
  }).then((r) => r.json());
  assert.equal(token.scope, 'stripe_apps');
  assert.equal(token.stripe_user_id, info.accounts[0].account);

  const app = connect(token.access_token);
  const page = await app.customers.list({ limit: 1 });
  assert.equal(page.object, 'list', 'customer_read lets the app list');
  await assert.rejects(app.customers.create({ name: 'nope' }), (err) => {
    assert.equal(err.type, 'StripePermissionError');
    assert.equal(err.statusCode, 403);
    assert.match(err.message, /customer_write/);
    return true;
  });
  await control('/settings', { auto_consent: false });
});
