import { chmod, chown, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces `file` with `content` so that a reader (or a crash) sees the old file or the new one,
 * never a part: write a temporary file beside it (created exclusively, so a name clash fails
 * instead of overwriting), flush it to disk, give it the old mode and
 * owner, then rename it over the original. The temporary file is removed on any failure.
 */
export async function writeAtomically(file: string, content: string): Promise<void> {
  const before = await stat(file);
  if ((before.mode & 0o222) === 0) throw Object.assign(new Error('file is read-only'), { code: 'EROFILE' });
  const temp = join(
    dirname(file),
    `.${basename(file)}.dfrewrite-${process.pid}-${Math.random().toString(36).slice(2, 10)}`,
  );
  let handle;
  try {
    handle = await open(temp, 'wx', before.mode & 0o7777);
    await handle.writeFile(content, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    await chmod(temp, before.mode & 0o7777);
    await chown(temp, before.uid, before.gid).catch(() => undefined); // only root may give files away
    await rename(temp, file);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(file));
}

/** Makes the rename itself durable. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename has happened all the same.
  } finally {
    await handle.close();
  }
}
