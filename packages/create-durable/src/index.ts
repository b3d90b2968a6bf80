// biome-ignore-all assist/source/organizeImports: exports are grouped by purpose, as the house style asks

// Making a project
export type { CreatedProject, CreateProjectOptions } from "./create-project.js";
export { createProject, nextSteps } from "./create-project.js";
export type { CreateProjectErrorCode } from "./create-project-error.js";
export { CreateProjectError } from "./create-project-error.js";

// What the project depends on
export {
  DURABLE_VERSION,
  PUBLIC_PACKAGES,
  projectPackageJson,
  THIRD_PARTY_RANGES,
} from "./project-package-json.js";
