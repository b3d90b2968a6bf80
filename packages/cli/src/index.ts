// Configuration

export type { DevRun, DurableConfig, WorkerConfig } from "./config/define-config.js";
export { defineConfig } from "./config/define-config.js";

// The dev seam: services `durable dev` runs beside its worker (the dashboard)

export type { DevContext, DevService } from "./dev/dev-services.js";

// Running the command line programmatically

export { main } from "./main.js";
export type { ProgramOptions } from "./program.js";
export { createProgram } from "./program.js";
