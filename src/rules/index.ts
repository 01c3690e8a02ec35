import type { Rule } from '../core/rule.js';
import { aptKeepDownloads } from './apt-keep-downloads.js';
import { buildOnBuildPlatform } from './build-on-build-platform.js';
import { bootsnapEmulatedJobs } from './bootsnap-emulated-jobs.js';
import { cacheMountCleanup } from './cache-mount-cleanup.js';
import { cacheMountOwner } from './cache-mount-owner.js';
import { cacheMountSharing } from './cache-mount-sharing.js';
import { platformArgs } from './platform-args.js';
import { uvEmulatedBytecode } from './uv-emulated-bytecode.js';

/** Every rule, in the order they run and are listed. */
export const allRules: readonly Rule[] = [
  cacheMountSharing,
  uvEmulatedBytecode,
  platformArgs,
  cacheMountOwner,
  cacheMountCleanup,
  aptKeepDownloads,
  bootsnapEmulatedJobs,
  buildOnBuildPlatform,
];
