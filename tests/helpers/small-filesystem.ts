import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** A tmpfs of a few MiB the test owns: filled on purpose, freed, and always unmounted. */
export type SmallFilesystem = {
  dir: string;
  /** Writes one more filler file, so that about `bytes` are left free. */
  fillLeaving(bytes: number): void;
  /** Deletes the fillers: the space is back. */
  free(): void;
  freeBytes(): number;
  unmount(): void;
};

function errorText(error: unknown): string {
  const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
  return stderr || (error as Error).message;
}

/**
 * Mounts a tmpfs of `sizeMiB` on a fresh folder, or says why it cannot (not root, or the kernel
 * or container refuses the mount): the caller skips rather than passes.
 */
export function mountSmallFilesystem(
  sizeMiB: number,
): { ok: true; fs: SmallFilesystem } | { ok: false; reason: string } {
  if (process.getuid?.() !== 0) {
    return { ok: false, reason: "mounting a tmpfs needs root (this runs as a regular user)" };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "engagements-diskfull-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${sizeMiB}m,mode=0700`, "tmpfs", dir], {
      stdio: "pipe",
    });
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    return { ok: false, reason: `mount -t tmpfs was refused: ${errorText(error)}` };
  }
  const fillers: string[] = [];
  let mounted = true;
  const freeBytes = () => {
    const stats = fs.statfsSync(dir);
    return stats.bavail * stats.bsize;
  };
  return {
    ok: true,
    fs: {
      dir,
      freeBytes,
      fillLeaving(bytes) {
        // Written, not truncated: tmpfs allocates only pages that hold data.
        const size = freeBytes() - bytes;
        if (size <= 0) return;
        const filler = path.join(dir, `filler-${fillers.length}.bin`);
        fs.writeFileSync(filler, Buffer.alloc(size, 1));
        fillers.push(filler);
      },
      free: () => fillers.splice(0).forEach((filler) => fs.rmSync(filler, { force: true })),
      unmount() {
        if (!mounted) return;
        try {
          execFileSync("umount", [dir], { stdio: "pipe" });
        } catch {
          // Something still holds a file there (a server that would not stop): detach it now,
          // the kernel frees it when the last file closes.
          execFileSync("umount", ["-l", dir], { stdio: "pipe" });
        }
        mounted = false;
        fs.rmSync(dir, { recursive: true, force: true });
      },
    },
  };
}
