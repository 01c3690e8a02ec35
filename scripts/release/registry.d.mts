// Types of scripts/release/registry.mjs, for the TypeScript tests that start the registry.
export interface Registry {
  /** `127.0.0.1:PORT` */
  host: string;
  /** the registry's log (access log included): kept after the run */
  log: string;
  stop(): void;
}

export function startRegistry(dir: string): Promise<Registry>;

export interface BlobGet {
  repository: string;
  digest: string;
  status: number;
  bytes: number;
}

export function blobGets(logText: string): BlobGet[];
