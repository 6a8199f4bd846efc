// Events and webhooks through Stripe's official Node library: endpoint CRUD,
// event listing, and a delivery whose signature stripe-node's own
// `webhooks.constructEvent` accepts. Uses install account 2 only, so it runs
// beside conformance.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import { connect, control, info } from './support.mjs';

const stripe = connect(info.accounts[2].secret_key);

/** A receiver on 127.0.0.1:0 that hands each request's raw body and headers to `onRequest`. */
async function receiver(onRequest) {
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      onRequest({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"received":true}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${server.address().port}/webhook` };
}

test('webhook endpoints: create, retrieve, update, list, delete, errors', async () => {
  const created = await stripe.webhookEndpoints.create({
    url: 'http://127.0.0.1:9/webhook',
    enabled_events: ['customer.created', 'customer.updated'],
    description: 'conformance',
    metadata: { suite: 'node' },
  });
  assert.match(created.id, /^we_/);
  assert.equal(created.object, 'webhook_endpoint');
  assert.match(created.secret, /^whsec_/);
  assert.equal(created.status, 'enabled');
  assert.deepEqual(created.enabled_events, ['customer.created', 'customer.updated']);

  const got = await stripe.webhookEndpoints.retrieve(created.id);
  assert.equal(got.secret, undefined, 'the secret only at creation');
  assert.equal(got.url, 'http://127.0.0.1:9/webhook');

  const updated = await stripe.webhookEndpoints.update(created.id, { disabled: true, enabled_events: ['*'] });
  assert.equal(updated.status, 'disabled');
  assert.deepEqual(updated.enabled_events, ['*']);

  const listed = await stripe.webhookEndpoints.list({ limit: 100 });
  assert.ok(listed.data.some((e) => e.id === created.id));

  const deleted = await stripe.webhookEndpoints.del(created.id);
  assert.equal(deleted.deleted, true);
  await assert.rejects(stripe.webhookEndpoints.retrieve(created.id), (err) => err.statusCode === 404);

  await assert.rejects(
    stripe.webhookEndpoints.create({ url: 'http://127.0.0.1:9/x', enabled_events: ['customer.craeted'] }),
    (err) => {
      assert.equal(err.type, 'StripeInvalidRequestError');
      assert.equal(err.param, 'enabled_events[0]');
      assert.match(err.message, /^Invalid enabled_events\[0\]: must be one of/);
      return true;
    },
  );
  await assert.rejects(
    stripe.webhookEndpoints.create({ url: 'https://example.com/hook', enabled_events: ['*'] }),
    (err) => err.param === 'url' && /loopback/.test(err.message),
  );
});

test('events: listed with filters and retrieved by id', async () => {
  const customer = await stripe.customers.create({ name: 'Evented' });
  await stripe.customers.update(customer.id, { name: 'Evented Again' });
  const events = await stripe.events.list({ type: 'customer.*', limit: 100 });
  const mine = events.data.filter((e) => e.data.object.id === customer.id);
  assert.deepEqual(
    mine.map((e) => e.type),
    ['customer.updated', 'customer.created'],
  );
  assert.deepEqual(mine[0].data.previous_attributes, { name: 'Evented' });
  assert.match(mine[1].request.id, /^req_/);
  const one = await stripe.events.retrieve(mine[1].id);
  assert.equal(one.data.object.name, 'Evented', 'a snapshot taken at creation');
  const typed = await stripe.events.list({ types: ['customer.updated'], limit: 100 });
  assert.ok(typed.data.every((e) => e.type === 'customer.updated'));
});

test('a delivery verifies with stripe.webhooks.constructEvent', async () => {
  let delivered;
  const arrived = new Promise((resolve) => {
    delivered = resolve;
  });
  const { server, url } = await receiver((req) => delivered(req));
  const endpoint = await stripe.webhookEndpoints.create({ url, enabled_events: ['product.created'] });
  try {
    const product = await stripe.products.create({ name: 'Signed delivery' });
    const req = await arrived;
    const event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], endpoint.secret);
    assert.equal(event.type, 'product.created');
    assert.equal(event.data.object.id, product.id);
    assert.throws(
      () => stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], 'whsec_wrong'),
      (err) => err.type === 'StripeSignatureVerificationError',
    );
    const log = await control(`/webhook_endpoints/${endpoint.id}/deliveries?wait_ms=5000`);
    assert.equal(log.data[0].status, 200);
    assert.equal(log.data[0].event, event.id);
  } finally {
    await stripe.webhookEndpoints.del(endpoint.id);
    server.close();
  }
});
