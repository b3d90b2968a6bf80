import { type FSWatcher, watch } from "node:fs";
import { basename, dirname, join } from "node:path";

/** What `watchFiles` takes. */
export interface WatchFilesOptions {
  /** The files to watch. */
  files: readonly string[];
  /** Called once a burst of changes has settled, with the files that changed. */
  onChange: (changed: string[]) => void;
  /** How long changes must pause before `onChange` (default 150 ms): an editor's save is several events. */
  settleMs?: number;
}

/**
 * Watches files through their directories (node:fs.watch), so a save that replaces the file (write to a
 * temp file, then rename: most editors) is seen like an edit in place.
 * @example
 * const watcher = watchFiles({ files: ["/app/src/workflows.ts"], onChange: (files) => reload(files) });
 * watcher.close();
 */
export function watchFiles(options: WatchFilesOptions): { close(): void } {
  const byDir = new Map<string, Set<string>>();
  for (const file of options.files) {
    const names = byDir.get(dirname(file)) ?? new Set<string>();
    names.add(basename(file));
    byDir.set(dirname(file), names);
  }
  const changed = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const settle = () => {
    timer = undefined;
    const files = [...changed];
    changed.clear();
    options.onChange(files);
  };
  const watchers: FSWatcher[] = [];
  for (const [dir, names] of byDir) {
    try {
      const watcher = watch(dir, (_event, name) => {
        if (name === null || !names.has(name.toString())) return;
        changed.add(join(dir, name.toString()));
        clearTimeout(timer);
        timer = setTimeout(settle, options.settleMs ?? 150);
      });
      // A directory removed while watched ends its watcher; the others carry on.
      watcher.on("error", () => watcher.close());
      watchers.push(watcher);
    } catch {
      // A directory that is gone cannot be watched; nothing in it can change either.
    }
  }
  return {
    close: () => {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}
