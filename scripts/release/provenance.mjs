// SLSA provenance v1 predicate for the frontend image index, JSON on stdout, to be attached with
// `cosign attest --type slsaprovenance1` (scripts/release/publish.sh): it refers to the pinned index
// digest from outside the index, so the index itself stays reproducible.
//
//   node scripts/release/provenance.mjs --subject REPO@sha256:INDEX --commit SHA --builder ID
//        [--source URI] [--ref REF] [--invocation ID] [--platforms P,P] [--base IMAGE] [--build-arg K=V]...
//
// In the release workflow the builder is the workflow file at its ref and the invocation the run's
// URL; in the local rehearsal they name the test. SOURCE_DATE_EPOCH is recorded as given.
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    subject: { type: 'string' },
    commit: { type: 'string' },
    builder: { type: 'string' },
    source: { type: 'string', default: 'git+https://github.com/dfrewrite/dfrewrite' },
    ref: { type: 'string', default: '' },
    invocation: { type: 'string', default: '' },
    platforms: { type: 'string', default: 'linux/amd64,linux/arm64' },
    base: { type: 'string', multiple: true, default: [] },
    'build-arg': { type: 'string', multiple: true, default: [] },
  },
});
if (!opts.subject?.includes('@sha256:') || !opts.commit || !opts.builder) {
  console.error('usage: provenance.mjs --subject REPO@sha256:INDEX --commit SHA --builder ID [options]');
  process.exit(2);
}

/** `name@sha256:hex` as an in-toto resource descriptor */
const resource = (ref) => {
  const [uri, digest] = ref.split('@');
  return digest
    ? { uri: `pkg:docker/${uri}`, digest: { sha256: digest.replace(/^sha256:/, '') } }
    : { uri: `pkg:docker/${uri}` };
};

const predicate = {
  buildDefinition: {
    buildType: 'https://github.com/dfrewrite/dfrewrite/blob/main/docs/release.md#build-type-v1',
    externalParameters: {
      source: `${opts.source}@${opts.ref || opts.commit}`,
      dockerfile: 'Dockerfile.frontend',
      platforms: opts.platforms.split(','),
      buildArgs: Object.fromEntries(opts['build-arg'].map((kv) => [kv.split('=')[0], kv.slice(kv.indexOf('=') + 1)])),
    },
    internalParameters: {
      SOURCE_DATE_EPOCH: process.env.SOURCE_DATE_EPOCH ?? null,
      attestationsInIndex: false,
      rewriteTimestamp: true,
    },
    resolvedDependencies: [{ uri: opts.source, digest: { gitCommit: opts.commit } }, ...opts.base.map(resource)],
  },
  runDetails: {
    builder: { id: opts.builder },
    metadata: { invocationId: opts.invocation },
    byproducts: [{ name: 'image-index', ...resource(opts.subject) }],
  },
};
console.log(JSON.stringify(predicate, null, 2));
