/** Properties of the Python script tasks only (dependency handling). Not a plugin. */
import { p } from '../../api.js';
import type { Prop } from '../../api.js';

export const pythonProps: Record<string, Prop> = {
  dependencies: p
    .list(p.string())
    .describe(
      'Python packages to install before running, as pip specifiers such as `pandas==2.2.0`. Windhover installs them with `python3 -m pip install --target` into a folder put on `PYTHONPATH`.',
    ),
  pythonVersion: p
    .string()
    .describe(
      'The Python version the dependencies are resolved for, such as `3.12`. Windhover uses the `python3` of the worker and ignores it.',
    ),
  dependencyCacheEnabled: p
    .boolean()
    .default(true)
    .describe(
      'Keep the installed dependencies on the worker and reuse them for the same list; otherwise they are installed for each run and deleted after it.',
    ),
  packageManager: p
    .enum(['UV', 'PIP'])
    .default('UV')
    .describe('The tool that installs `dependencies` in Kestra. Windhover always uses pip.'),
};
