/**
 * JSON text as a service other than JavaScript may read it. `JSON.parse` keeps the last of two equal keys in an object;
 * whether CloudFormation, IAM or KMS keep the first, the last or refuse the text is not documented, so a text with
 * equal keys says two things and the gate reads one of them: a `"Effect": "Deny"` followed by `"Effect": "Allow"`, or a
 * second `"PolicyDocument"`, may deploy as the one the gate did not judge.
 */

/** Where an object of a JSON text repeats a key: the key, and the path of the object holding it. */
export interface DuplicateKey {
  readonly key: string;
  /** The object's path from the root, keys and list indices joined by '.' ('' for the root). */
  readonly path: string;
}

interface Frame {
  /** The keys seen so far, for an object; undefined for a list. */
  readonly keys?: Set<string>;
  /** Whether the next string of an object is a key. */
  keyNext: boolean;
  /** The key (object) or index (list) of the value being read. */
  at: string;
}

/**
 * The first repeated key of an object in `text`, which must be valid JSON (JSON.parse accepted it); undefined when no
 * object repeats a key. Keys compare as decoded (`"a"` and `"\u0061"` are the same key).
 */
export function duplicateKeyOf(text: string): DuplicateKey | undefined {
  const frames: Frame[] = [];
  const pathOf = (): string =>
    frames
      .slice(0, -1)
      .map((f) => f.at)
      .join('.');
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = frames[frames.length - 1];
      if (top?.keys !== undefined && top.keyNext) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.keys.has(key)) return { key, path: pathOf() };
        top.keys.add(key);
        top.keyNext = false;
        top.at = key;
      }
      i = j;
    } else if (c === '{') {
      frames.push({ keys: new Set(), keyNext: true, at: '' });
    } else if (c === '[') {
      frames.push({ keyNext: false, at: '0' });
    } else if (c === '}' || c === ']') {
      frames.pop();
    } else if (c === ',') {
      const top = frames[frames.length - 1];
      if (top?.keys !== undefined) top.keyNext = true;
      else if (top !== undefined) top.at = String(Number(top.at) + 1);
    }
  }
  return undefined;
}

/** The sentence refusing a file with a repeated key: `what` (e.g. 'the template') and where. */
export function duplicateKeyProblem(what: string, duplicate: DuplicateKey): string {
  return `${what} has the key '${duplicate.key}' twice in ${duplicate.path === '' ? 'its top-level object' : `the object at ${duplicate.path}`}: JSON.parse reads the last, and CloudFormation may read the other (the gate judges one text only)`;
}
