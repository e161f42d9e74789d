/** Properties of the Python script tasks only (dependency handling). Not a plugin. */
import { p } from '../../api.js';
import type { Prop } from '../../api.js';

export const pythonProps: Record<string, Prop> = {
  dependencies: p
    .list(p.string())
    .describe('Python packages to install before running, as pip specifiers such as `pandas==2.2.0`.'),
  pythonVersion: p.string().describe('The Python version the dependencies are resolved for, such as `3.12`.'),
  dependencyCacheEnabled: p
    .boolean()
    .default(true)
    .describe('Cache the installed dependencies between executions.'),
  packageManager: p.enum(['UV', 'PIP']).default('UV').describe('The tool that installs `dependencies`.'),
};
