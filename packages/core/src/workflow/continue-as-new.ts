import type { Encoded } from "./serialize.js";

/** Thrown by `ctx.continueAsNew` to end the activation with a new input. */
export class ContinueAsNewSignal {
  constructor(readonly input: Encoded) {}
}
