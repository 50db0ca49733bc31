/**
 * The response cache's bounds (src/http/response-cache.ts): bytes counted, bodies above the
 * entry limit never kept, and eviction oldest first except entries read since they were kept,
 * which get a second chance (an approximation of least recently used that costs a hit nothing).
 */
import t from 'tap';
import { ResponseCache, type CachedResponse } from '../../src/http/response-cache.js';

const entry = (bytes: number, state = 's'): CachedResponse => ({
  body: Buffer.alloc(bytes, 'x'),
  contentType: 'text/csv',
  headers: {},
  etag: 'W/"e"',
  lastModifiedMs: 0,
  state,
});

t.test('oldest out first; an entry read since it was kept stays', async (t) => {
  const cache = new ResponseCache(300, 200);
  cache.set('a', entry(100));
  cache.set('b', entry(100));
  cache.set('c', entry(100));
  t.equal(cache.size, 3);
  t.ok(cache.get('a'), 'a is read');
  cache.set('d', entry(100));
  t.ok(cache.get('a'), 'a, read since it was kept, has a second chance');
  t.notOk(cache.get('b'), 'b, the oldest not read, is out');
  t.ok(cache.get('c') && cache.get('d'));
  // Every entry has been read now: one pass gives each its chance, then the first in line goes
  // (c, kept before d and moved before a: the approximation, not exact recency), never the new one.
  cache.set('e', entry(100));
  t.equal(cache.size, 3, 'bytes stay within the bound');
  t.ok(cache.get('e'), 'the newest entry stays');
  t.same(['a', 'c', 'd'].filter((k) => !cache.get(k)), ['c'], 'one older entry went');
});

t.test('a body above the entry limit is never kept; a replaced entry is counted once', async (t) => {
  const cache = new ResponseCache(300, 150);
  cache.set('big', entry(151));
  t.equal(cache.size, 0);
  cache.set('a', entry(100));
  cache.set('a', entry(100, 'other'));
  cache.set('b', entry(100));
  cache.set('c', entry(100));
  t.equal(cache.size, 3, 'a replaced, not added twice: three entries fit in 300 bytes');
  t.equal(cache.get('a')?.state, 'other');
});
