// Checks the helper that computes what a minimal grant must produce, so a GUI
// test failure means the app is wrong, not the expectation.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';

import { REPO } from './support/app.mjs';
import { expectedGrantTexts, insertLine, permissionElements } from './support/manifest-text.mjs';

const SMALL = `{
  "name": "x, [not] {an} \\"array\\"",
  "permissions": [
    {
      "permission": "customer_read",
      "purpose": "a"
    }
  ]
}
`;

test('finds the permission objects of the top-level array only', () => {
  const { elements } = permissionElements(SMALL);
  assert.equal(elements.length, 1);
  assert.equal(JSON.parse(SMALL.slice(elements[0].start, elements[0].end)).permission, 'customer_read');
});

test('expected grants differ from the old text by the new object lines only', () => {
  const [before, after] = expectedGrantTexts(SMALL, 'charge_read', 'b "quoted"');
  assert.equal(after, SMALL.replace(
    '      "purpose": "a"\n    }\n',
    '      "purpose": "a"\n    },\n    {\n      "permission": "charge_read",\n      "purpose": "b \\"quoted\\""\n    }\n',
  ));
  for (const text of [before, after]) {
    const json = JSON.parse(text);
    assert.deepEqual(json.permissions.map((p) => p.permission).sort(), ['charge_read', 'customer_read']);
    const added = text.split('\n').filter((l) => !SMALL.split('\n').includes(l));
    assert.deepEqual(added.map((l) => l.trim()).sort(),
      ['"permission": "charge_read",', '"purpose": "b \\"quoted\\""', '},'].sort(),
      'besides the object, only a separating comma appears');
  }
});

test('the sample manifest yields one candidate per insertion point', async () => {
  const sample = await readFile(join(REPO, 'stripe-app.json'), 'utf8');
  const n = JSON.parse(sample).permissions.length;
  const candidates = expectedGrantTexts(sample, 'charge_read', 'p');
  assert.equal(candidates.length, n + 1);
  candidates.forEach((c, i) =>
    assert.equal(JSON.parse(c).permissions[i].permission, 'charge_read', `candidate ${i} inserts at ${i}`));
});

test('insertLine puts the new line at the given 1-based number', () => {
  assert.equal(insertLine('a\nb\nc\n', 2, 'X'), 'a\nX\nb\nc\n');
});
