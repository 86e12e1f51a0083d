/** The project file, `.truss-config.yaml`: reading, precedence and which files it selects. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ProjectFiles, readProject, selection, withProject } from '../../server/src/engine/project';
import { DEFAULT_SETTINGS } from '../../server/src/engine/settings';

const at = (text: string) =>
  readProject(text).problems.map((p) => `${p.range.start.line + 1}:${p.range.start.character + 1} ${p.message}`);

describe('project file', () => {
  it('reads rules, files, ignore and detect; a bare `off` is off', () => {
    const r = readProject(
      'rules:\n  registry-mismatch: off\n  unknown-key: "error"\n' +
        'files: ["models/**/config.yaml"]\nignore:\n  - vendor\ndetect: always\n',
    );
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.config, {
      rules: { 'registry-mismatch': 'off', 'unknown-key': 'error' },
      files: ['models/**/config.yaml'],
      ignore: ['vendor'],
      detect: 'always',
    });
    assert.deepEqual(readProject('').config, { rules: {}, ignore: [] });
    assert.deepEqual(readProject('# nothing yet\n').config, { rules: {}, ignore: [] });
  });

  it('locates every problem at its node, with a suggestion, and applies nothing', () => {
    const text = 'rules:\n  unknown-kye: off\n  missing-secret: fatal\nignroe: []\nfiles: config.yaml\ndetect: yes\n';
    assert.deepEqual(at(text), [
      '2:3 Unknown code `unknown-kye`: did you mean `unknown-key`?',
      '3:19 `missing-secret` must be off, hint, information, warning or error',
      '4:1 Unknown key `ignroe`: did you mean `ignore`? (rules, files, ignore or detect)',
      '5:8 `files` must be a list of glob patterns',
      '6:9 `detect` must be auto, always or never',
    ]);
    assert.equal(readProject(text).config, undefined);
    assert.deepEqual(at('rules: [a\n').length, 1, 'a syntax error');
    assert.deepEqual(at('- rules\n'), ['1:1 the file must be a mapping of rules, files, ignore and detect']);
    assert.deepEqual(at('ignore: ["", "a"]\n'), ['1:9 `ignore` must be a list of glob patterns']);
  });

  it('a YAML error is one message, about this file, at the first error', () => {
    assert.deepEqual(at('rules:\n  unknown-key: off\n  [bad\nfiles: x\n'), [
      '3:3 Not valid YAML: Implicit keys need to be on a single line; the project file is not applied.',
    ]);
    assert.deepEqual(at('rules:\n\tunknown-key: off\n'), [
      '2:1 Not valid YAML: Tabs are not allowed as indentation; the project file is not applied.',
    ]);
    for (const text of ['rules: [a\n', 'rules: {a: 1\n', 'a: "x\n', 'rules:\n  a: 1\n b: 2\n', 'x: !!binary 1\n']) {
      const said = at(text);
      assert.equal(said.length, 1, `${JSON.stringify(text)}: ${said.join(' | ')}`);
      assert.match(said[0], /Not valid YAML/);
      assert.doesNotMatch(said[0], /truss|PyYAML/, 'worded for the project file, which truss never reads');
    }
  });

  it('reports a duplicate key, at each but the last, and applies nothing', () => {
    const text = 'rules:\n  unknown-key: off\n  unknown-key: error\nfiles: [a]\nrules: {}\n';
    assert.deepEqual(at(text), [
      '1:1 Duplicate key `rules`: give it once (YAML keeps only the last)',
      '2:3 Duplicate key `unknown-key` in `rules`: give it once (YAML keeps only the last)',
    ]);
    assert.equal(readProject(text).config, undefined);
  });

  it('never quotes a pasted credential', () => {
    const key = 'AKIAIOSFODNN7EXAMPLE';
    const { problems } = readProject(`rules:\n  ${key}: off\n${key}: 1\n`);
    assert.equal(problems.length, 2);
    for (const p of problems) assert.ok(!p.message.includes(key), p.message);
  });

  it('is overridden by what the editor sets, and fills in what it leaves at the default', () => {
    const project = { path: '/r/.truss-config.yaml', root: '/r', ...readProject('rules:\n  a-b: off\n') };
    assert.ok(project.problems.length, 'unknown code');
    const good = {
      path: '/r/.truss-config.yaml',
      root: '/r',
      ...readProject(
        'rules:\n  registry-mismatch: off\n  unknown-key: error\nfiles: [m/config.yaml]\ndetect: always\n',
      ),
    };
    const plain = withProject(DEFAULT_SETTINGS, good);
    assert.deepEqual(plain.rules, { 'registry-mismatch': 'off', 'unknown-key': 'error' });
    assert.equal(plain.detect, 'always');
    assert.deepEqual(plain.files, ['m/config.yaml']);
    const editor = { ...DEFAULT_SETTINGS, detect: 'never' as const, rules: { 'unknown-key': 'hint' as const } };
    const both = withProject({ ...editor, files: ['**/truss.yaml'] }, good);
    assert.deepEqual(both.rules, { 'registry-mismatch': 'off', 'unknown-key': 'hint' });
    assert.equal(both.detect, 'never');
    assert.deepEqual(both.files, ['**/truss.yaml']);
    assert.equal(selection(both, '/r/x/truss.yaml'), 'selected', 'the editor’s globs match whole paths');
    assert.equal(withProject(DEFAULT_SETTINGS, project), DEFAULT_SETTINGS, 'a file with problems is not applied');
  });

  it('selects files by globs relative to its folder, and ignores folders and files', () => {
    const project = {
      path: '/r/.truss-config.yaml',
      root: '/r',
      ...readProject('files: ["models/**/config.yaml", "truss.yml"]\nignore: [vendor, "old/**", "*.bak.yaml"]\n'),
    };
    const s = withProject(DEFAULT_SETTINGS, project);
    assert.equal(selection(s, '/r/models/a/config.yaml'), 'selected');
    assert.equal(selection(s, '/r/models/config.yaml'), 'selected');
    assert.equal(selection(s, '/r/x/models/a/config.yaml'), 'unnamed', 'relative to the project folder');
    assert.equal(selection(s, '/r/deep/truss.yml'), 'selected', 'a name-only glob matches anywhere below');
    assert.equal(selection(s, '/r/models/vendor/config.yaml'), 'ignored');
    assert.equal(selection(s, '/r/old/models/config.yaml'), 'ignored');
    assert.equal(selection(s, '/r/models/config.bak.yaml'), 'ignored');
    assert.equal(selection(s, '/r/oldies/models/config.yaml'), 'unnamed');
    assert.equal(selection(DEFAULT_SETTINGS, '/anywhere/config.yml'), 'selected');
  });

  it('is found by searching upward; the nearest wins and each folder is read once', () => {
    const files: Record<string, string> = {
      '/r/.truss-config.yaml': 'rules:\n  unknown-key: off\n',
      '/r/a/b/.truss-config.yml': 'detect: always\n',
    };
    const reads: string[] = [];
    const projects = new ProjectFiles((p) => (reads.push(p), files[p]));
    assert.equal(projects.for('/r/a/config.yaml')?.path, '/r/.truss-config.yaml');
    assert.equal(projects.for('/r/a/b/c/config.yaml')?.path, '/r/a/b/.truss-config.yml');
    assert.equal(projects.for('/elsewhere/config.yaml'), undefined);
    const before = reads.length;
    projects.for('/r/a/config.yaml');
    projects.for('/r/a/b/c/d/config.yaml');
    assert.equal(reads.length, before + 2, 'only the new folder d is read (both names)');
    assert.deepEqual(
      projects
        .known()
        .map((p) => p.path)
        .sort(),
      ['/r/.truss-config.yaml', '/r/a/b/.truss-config.yml'],
    );
  });
});
