/** Why `createProject` refused: the directory has files, or a `fromTarballs` directory lacks a package. */
export type CreateProjectErrorCode = "directory_not_empty" | "not_a_directory" | "missing_tarball";

/**
 * A project that `createProject` would not make; nothing was written. `code` says why.
 * @example
 * try { await createProject({ dir: "my-app" }); } catch (e) { if (e instanceof CreateProjectError) console.error(e.message); }
 */
export class CreateProjectError extends Error {
  override readonly name = "CreateProjectError";

  constructor(
    readonly code: CreateProjectErrorCode,
    message: string,
  ) {
    super(message);
  }
}
