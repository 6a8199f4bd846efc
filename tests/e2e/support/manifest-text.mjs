// What a minimal, formatting-preserving edit of a manifest must produce, computed
// from the old text alone, so the GUI tests can demand byte-for-byte results.
//
// Invariant: the expected texts differ from the old text only by the lines of the
// inserted permission object (plus the comma that separates array elements);
// every other byte, including indentation, key order and the final newline, is
// the old one. Why candidates: where in `permissions` a new grant goes is the
// edit engine's choice; what it may not do is touch anything else.

/** Byte ranges of the elements of the top-level `permissions` array. */
export function permissionElements(text) {
  const key = findTopLevelKey(text, 'permissions');
  if (key < 0) throw new Error('no top-level "permissions" key in the manifest');
  let i = text.indexOf('[', key);
  const open = i;
  const elements = [];
  let depth = 0;
  let start = -1;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      i = skipString(text, i);
      continue;
    }
    if (c === '[' || c === '{') {
      depth++;
      if (depth === 2 && c === '{') start = i;
    } else if (c === ']' || c === '}') {
      if (depth === 2 && c === '}') elements.push({ start, end: i + 1 });
      depth--;
      if (depth === 0) return { open, close: i, elements };
    }
  }
  throw new Error('unterminated permissions array');
}

/**
 * Every text a grant of `permission` with `purpose` may legitimately produce:
 * the new object inserted before any existing element, or after the last one.
 */
export function expectedGrantTexts(oldText, permission, purpose) {
  const { elements } = permissionElements(oldText);
  if (elements.length === 0) throw new Error('the sample must already grant a permission');
  const indent = indentOf(oldText, elements[0].start);
  const firstProp = oldText.slice(elements[0].start + 1).match(/^\s*\n([ \t]*)"/);
  const propIndent = firstProp ? firstProp[1] : `${indent}  `;
  const object = [
    '{',
    `${propIndent}"permission": ${JSON.stringify(permission)},`,
    `${propIndent}"purpose": ${JSON.stringify(purpose)}`,
    `${indent}}`,
  ].join('\n');
  const candidates = elements.map(
    (e) => oldText.slice(0, e.start) + object + ',\n' + indent + oldText.slice(e.start),
  );
  const last = elements[elements.length - 1];
  candidates.push(oldText.slice(0, last.end) + ',\n' + indent + object + oldText.slice(last.end));
  return candidates;
}

/** Returns `text` with `line` (1-based) inserted before line number `at`. */
export function insertLine(text, at, line) {
  const lines = text.split('\n');
  lines.splice(at - 1, 0, line);
  return lines.join('\n');
}

function indentOf(text, offset) {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return text.slice(lineStart, offset).match(/^[ \t]*/)[0];
}

function skipString(text, i) {
  for (i++; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return i;
}

function findTopLevelKey(text, name) {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const end = skipString(text, i);
      if (depth === 1 && text.slice(i + 1, end) === name && /^\s*:/.test(text.slice(end + 1))) {
        return end + 1;
      }
      i = end;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return -1;
}
