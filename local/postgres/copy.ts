import { constants } from 'node:fs';
import { chmod, copyFile, lchown, lstat, mkdir, readdir, readlink, symlink } from 'node:fs/promises';
import { join } from 'node:path';

/** How a file tree was copied: block-sharing reflinks, or a byte-for-byte copy. */
export const CopyMethod = { reflink: 'reflink', copy: 'copy' } as const;
/** One of {@link CopyMethod}. */
export type CopyMethod = (typeof CopyMethod)[keyof typeof CopyMethod];

/** What {@link TreeCopier.copy} does with one entry of the source tree. */
export const Keep = { all: 'all', directoryOnly: 'directoryOnly', none: 'none' } as const;
/** One of {@link Keep}. */
export type Keep = (typeof Keep)[keyof typeof Keep];

/** Decides, from its path relative to the tree's root (`/`-separated), what to copy of an entry. */
export type Filter = (relativePath: string, name: string, isDirectory: boolean) => Keep;

// Errors with which FICLONE says "this file system cannot share blocks here".
const NO_REFLINK = new Set(['ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EINVAL', 'ENOSYS', 'ENOTTY', 'EPERM']);
// Files are copied this many at a time: enough to keep libuv's thread pool busy.
const PARALLEL_FILES = 8;

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Copies file trees keeping owner, group and mode, with copy-on-write reflinks where the file
 * system offers them (Btrfs, XFS, ...), and a plain copy otherwise.
 *
 * Made for copying the data directory of a running server: files that vanish mid-copy are
 * skipped, as pg_basebackup does, because the WAL replayed at startup restores what matters.
 */
export class TreeCopier {
  /** Bytes copied so far, over every call to {@link TreeCopier.copy}. */
  bytes = 0;
  #reflink: boolean | undefined;

  /** `reflink` when every file so far was cloned, `copy` once any was copied byte for byte. */
  get method(): CopyMethod {
    return this.#reflink === false ? CopyMethod.copy : CopyMethod.reflink;
  }

  /** Copies `source` into `target` (which may exist), entry by entry as `filter` decides. */
  async copy(source: string, target: string, filter: Filter = () => Keep.all): Promise<void> {
    const files: Array<[string, string]> = [];
    await this.#walk(source, target, '', filter, files);
    let next = 0;
    const worker = async () => {
      for (let item = files[next++]; item; item = files[next++]) await this.#copyFile(item[0], item[1]);
    };
    await Promise.all(Array.from({ length: PARALLEL_FILES }, worker));
  }

  async #walk(
    source: string,
    target: string,
    relative: string,
    filter: Filter,
    files: Array<[string, string]>,
  ) {
    const info = await lstat(source).catch((error) => (isMissing(error) ? undefined : Promise.reject(error)));
    if (!info) return;
    await mkdir(target, { recursive: true });
    await keepOwnership(target, info.uid, info.gid, info.mode);
    const entries = await readdir(source, { withFileTypes: true }).catch((error) =>
      isMissing(error) ? [] : Promise.reject(error),
    );
    for (const entry of entries) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      const keep = filter(path, entry.name, entry.isDirectory());
      if (keep === Keep.none) continue;
      const [from, to] = [join(source, entry.name), join(target, entry.name)];
      if (entry.isDirectory()) {
        await this.#walk(from, to, path, keep === Keep.directoryOnly ? () => Keep.none : filter, files);
      } else if (entry.isSymbolicLink()) {
        // Kept as links, as a base backup records them (onlineClone refuses tablespaces anyway).
        await symlink(await readlink(from), to);
      } else if (entry.isFile()) {
        files.push([from, to]);
      }
    }
  }

  async #copyFile(from: string, to: string): Promise<void> {
    try {
      const info = await lstat(from);
      await this.#clone(from, to);
      this.bytes += info.size;
      await keepOwnership(to, info.uid, info.gid, info.mode);
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }

  async #clone(from: string, to: string): Promise<void> {
    if (this.#reflink !== false) {
      try {
        await copyFile(from, to, constants.COPYFILE_FICLONE_FORCE);
        this.#reflink = true;
        return;
      } catch (error) {
        if (!NO_REFLINK.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
        this.#reflink = false;
      }
    }
    await copyFile(from, to);
  }
}

/** Gives `path` the owner and mode of the original (the owner only when Node runs as root). */
export async function keepOwnership(path: string, uid: number, gid: number, mode: number): Promise<void> {
  if (process.getuid?.() === 0) await lchown(path, uid, gid);
  await chmod(path, mode & 0o7777);
}
