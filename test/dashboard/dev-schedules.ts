import { schedule } from "@durable/core";
import { hello } from "../../examples/hello/src/workflows.js";

/** A schedule the dev dashboard test's config registers (it never ticks during the test). */
export const morningHello = schedule({
  name: "morning-hello",
  cron: "0 7 * * *",
  workflow: hello,
  input: { who: "morning" },
});
