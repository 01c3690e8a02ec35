/**
 * Which file names a directory walk takes for Dockerfiles and Compose files.
 *
 * `canonical` names are the ones BuildKit users conventionally give Dockerfiles (`Dockerfile`,
 * `Containerfile`, `Dockerfile.*`, `Containerfile.*`, `*.Dockerfile`): a file with such a name that
 * does not parse is an input error. `loose` names only contain the word (`Dockerfile-cuda`,
 * `Dockerfile_prod`, `api.dockerfile`, `app.Containerfile`): such a file may be something else,
 * so one that does not parse is listed as skipped, not an error.
 */
export type NameMatch = 'canonical' | 'loose';

/** `dockerfile` or `containerfile` as a whole word: alone, or joined to the rest by `.`, `-` or `_`. */
const DOCKERFILE_WORD = /^(?:.+[._-])?(?:dockerfile|containerfile)(?:[._-].+)?$/i;
const CANONICAL = /^(?:(?:Dockerfile|Containerfile)(?:\..+)?|.+\.Dockerfile)$/;

/**
 * Extensions that make a name something other than a Dockerfile: source code and its tests
 * (`dockerfile_test.go`, `dockerfile.ts`), documents (`Dockerfile.md`), data, templates rendered
 * into a Dockerfile (`Dockerfile.j2`, `Dockerfile.in`: not valid until rendered), patches and
 * backups.
 */
const NOT_DOCKERFILE_EXTENSIONS = new Set(
  [
    // source code
    'go py pyc pyi ts tsx mts cts js jsx mjs cjs rb rs java kt kts scala groovy gradle c h cc cpp hpp cs fs',
    'swift php pl pm lua dart erl hs clj zig vue svelte ps1 psm1 bat cmd sh bash zsh fish',
    // documents and data
    'md markdown mdx rst txt adoc asciidoc org html htm pdf json jsonc yaml yml toml xml csv ini cfg conf',
    'lock sum mod snap png svg jpg gif',
    // templates
    'template tmpl tpl j2 jinja jinja2 in erb mustache hbs handlebars gotmpl njk liquid ejs twig',
    // patches, backups, editor files, ignore files
    'patch diff orig rej bak old swp tmp dockerignore gitignore',
  ]
    .join(' ')
    .split(' '),
);

export function dockerfileNameMatch(name: string): NameMatch | undefined {
  if (!DOCKERFILE_WORD.test(name)) return undefined;
  const extension = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase();
  if (extension !== undefined && NOT_DOCKERFILE_EXTENSIONS.has(extension)) return undefined;
  return CANONICAL.test(name) ? 'canonical' : 'loose';
}

/** The names `docker compose` reads by default, with their override files. */
const COMPOSE_DEFAULT_NAME = /^(?:docker-)?compose(?:\.override)?\.ya?ml$/;
/** Named on the command line, any YAML file whose name has the word compose is read as one. */
const COMPOSE_NAME = /(?:^|[._-])compose(?:[._-].*)?\.ya?ml$/i;

export const isComposeFileName = (name: string, named: boolean): boolean =>
  named ? COMPOSE_NAME.test(name) : COMPOSE_DEFAULT_NAME.test(name);
