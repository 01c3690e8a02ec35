/** The process's ids as the kernel reports them (quickjs-ng has no getuid): `uid=U gid=G groups=…`. */
export function idsOf(status: string | null): string {
  const field = (name: string) =>
    new RegExp(`^${name}:\\s*(.*)$`, 'm')
      .exec(status ?? '')?.[1]
      ?.trim()
      .split(/\s+/);
  const [uid = '?'] = field('Uid') ?? [];
  const [gid = '?'] = field('Gid') ?? [];
  const groups = (field('Groups') ?? []).join(',');
  return `uid=${uid} gid=${gid} groups=${groups}`;
}
