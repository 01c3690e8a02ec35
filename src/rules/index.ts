import type { Rule } from '../core/rule.js';
import { cacheMountSharing } from './cache-mount-sharing.js';
import { uvEmulatedBytecode } from './uv-emulated-bytecode.js';

/** Every rule, in the order they run and are listed. */
export const allRules: readonly Rule[] = [cacheMountSharing, uvEmulatedBytecode];
