/** The engine's runtime: what the CLI and the server start. */
export { Runtime } from './runtime.js';
export type { RuntimeOptions, SubmitRequest, RuntimeEvents } from './runtime.js';
export { openLocal, deployFlow, checkFlowSource, loadPluginsAndCheck, saveCheckedFlow } from './local.js';
export type { LocalSetup, CheckedFlow } from './local.js';
export { prepareInputs } from './inputs.js';
