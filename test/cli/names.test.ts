import { describe, expect, it } from 'vitest';
import { dockerfileNameMatch, isComposeFileName } from '../../src/cli/names.js';

describe('Dockerfile names a directory walk takes', () => {
  it.each([
    'Dockerfile',
    'Containerfile',
    'web.Dockerfile',
    'Dockerfile.dev',
    'Dockerfile.ubuntu-2404',
    'Containerfile.dev',
    'build.cross-riscv64.Dockerfile',
  ])('%s: the usual names (an error if it does not parse)', (name) => {
    expect(dockerfileNameMatch(name)).toBe('canonical');
  });

  it.each([
    'dockerfile',
    'DockerFile',
    'Dockerfile-cuda',
    'Dockerfile_prod',
    'Dockerfile-5.0',
    'api.dockerfile',
    'app.Containerfile',
    'containerfile.dev',
    'build-essential.containerfile',
    'my_dockerfile',
  ])('%s: a loose name (skipped with a note if it does not parse)', (name) => {
    expect(dockerfileNameMatch(name)).toBe('loose');
  });

  it.each([
    // the word must stand alone, joined by . - or _
    'Dockerfiles',
    'mydockerfile',
    'Dockerfilelint',
    'README.md',
    // ignore files
    'Dockerfile.dockerignore',
    'x.Dockerfile.dockerignore',
    '.dockerignore',
    // source code and its tests, documents, data
    'dockerfile_test.go',
    'dockerfile.go',
    'dockerfile.py',
    'Dockerfile.ts',
    'dockerfile-parser.js',
    'Dockerfile.md',
    'Dockerfile.txt',
    'dockerfile.json',
    'Dockerfile.yaml',
    'dockerfile.sh',
    // templates, rendered into a Dockerfile before use
    'Dockerfile.template',
    'Dockerfile-windows.template',
    'Dockerfile.tmpl',
    'Dockerfile.j2',
    'Dockerfile.in',
    'Dockerfile.erb',
    // patches and backups
    'Dockerfile.orig',
    'Dockerfile.patch',
  ])('%s: not a Dockerfile', (name) => {
    expect(dockerfileNameMatch(name)).toBeUndefined();
  });
});

describe('Compose file names', () => {
  it('in a walk: the names docker compose reads by default, with their override files', () => {
    for (const name of [
      'compose.yaml',
      'compose.yml',
      'docker-compose.yml',
      'docker-compose.yaml',
      'compose.override.yaml',
      'docker-compose.override.yml',
    ])
      expect(isComposeFileName(name, false), name).toBe(true);
    for (const name of ['docker-compose.prod.yml', 'compose.json', 'mycompose.yaml', '.dfrewrite.yaml'])
      expect(isComposeFileName(name, false), name).toBe(false);
  });

  it('named on the command line: any YAML file with the word compose in its name', () => {
    for (const name of ['docker-compose.prod.yml', 'compose.dev.yaml', 'ci-compose.yml', 'compose.yaml'])
      expect(isComposeFileName(name, true), name).toBe(true);
    for (const name of ['.dfrewrite.yaml', 'composer.yaml', 'Dockerfile', 'compose.json'])
      expect(isComposeFileName(name, true), name).toBe(false);
  });
});
