import { parseDuration } from "@durable/core";
import { z } from "zod";

const duration = z.union([z.string(), z.number()]).superRefine((value, ctx) => {
  try {
    parseDuration(value, "duration");
  } catch (error) {
    ctx.addIssue({ code: "custom", message: error instanceof Error ? error.message : String(error) });
  }
});

const devRun = z.strictObject({
  workflow: z.string().min(1),
  input: z.unknown().optional(),
  id: z.string().min(1).optional(),
  tags: z.record(z.string().min(1), z.string()).optional(),
});

/** The shape of `durable.config.ts`'s default export, checked when it is loaded. */
export const configSchema = z.strictObject({
  workflows: z.array(z.string().min(1)).min(1, "name at least one workflow module"),
  databaseUrl: z.string().min(1).optional(),
  schema: z.string().min(1).max(63).optional(),
  dataDir: z.string().min(1).optional(),
  worker: z
    .strictObject({
      concurrency: z.number().int().min(1).optional(),
      queue: z.string().min(1).optional(),
      grace: duration.optional(),
      leaseMs: z.number().int().min(100).optional(),
      pollMs: z.number().int().min(10).optional(),
    })
    .optional(),
  schedules: z
    .array(
      z.custom<object>(
        (v) => typeof v === "object" && v !== null && (v as { kind?: unknown }).kind === "schedule",
        "expected a schedule({ name, cron, workflow, input }) from @durable/core",
      ),
    )
    .optional(),
  dev: z.strictObject({ runs: z.array(devRun).optional() }).optional(),
});
