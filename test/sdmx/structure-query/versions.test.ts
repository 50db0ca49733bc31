import t from 'tap';
import { compareVersions, isStable, matchesVersionPattern } from '../../../src/sdmx/structure-query/versions.js';

t.test('ordering', async (t) => {
  t.ok(compareVersions('1.10', '1.9') > 0, 'numeric parts, not lexical');
  t.equal(compareVersions('1.0', '1.0.0'), 0, 'missing parts are zero');
  t.ok(compareVersions('2.0.0', '2.0.0-draft') > 0, 'a release beats its pre-release');
  t.ok(compareVersions('1.0.0-a', '1.0.0-b') < 0);
  t.notOk(isStable('1.0.0-draft'));
  t.ok(isStable('1.0'));
});

t.test('3.0 wildcards (querying_versions.md)', async (t) => {
  const cases: [string, string, boolean][] = [
    ['1.0', '1.0', true],
    ['1.0', '1.1', false],
    ['1.2.0', '1.*.0', true],
    ['2.2.0', '1.*.0', false],
    ['1.3.0', '1.2+.0', true],
    ['1.1.0', '1.2+.0', false],
    ['1.3.0-draft', '1.*.0', false],
    ['1.0', '1.*.0', false],
  ];
  for (const [v, p, expected] of cases) t.equal(matchesVersionPattern(v, p), expected, `${v} ~ ${p}`);
});
