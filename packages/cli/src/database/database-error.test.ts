import { describe, expect, it } from "vitest";
import { CliError } from "../cli-error.js";
import { explainDatabaseError } from "./database-error.js";

const target = {
  kind: "postgres" as const,
  url: "postgres://app:secret@db:5432/app",
  schema: "durable",
  source: "DATABASE_URL",
};

function failure(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe("explainDatabaseError", () => {
  it("names the URL without its password, its source, and what to try", () => {
    const explained = explainDatabaseError(
      failure("ECONNREFUSED", "connect ECONNREFUSED 10.0.0.2:5432"),
      target,
    );
    expect(explained).toBeInstanceOf(CliError);
    expect((explained as CliError).message).toBe(
      "cannot connect to postgres://app:***@db:5432/app (from DATABASE_URL): connect ECONNREFUSED 10.0.0.2:5432; is the server running?",
    );
    expect((explained as CliError).message).not.toContain("secret");
    expect(
      (explainDatabaseError(failure("3D000", 'database "app" does not exist'), target) as Error).message,
    ).toMatch(/create the database/);
  });

  it("leaves other errors, and the embedded database's, as they are", () => {
    const other = failure("23505", "duplicate key");
    expect(explainDatabaseError(other, target)).toBe(other);
    const refused = failure("ECONNREFUSED", "connect ECONNREFUSED");
    expect(explainDatabaseError(refused, { kind: "embedded", dir: "/app/.durable", schema: "durable" })).toBe(
      refused,
    );
  });
});
