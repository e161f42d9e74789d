/** The dbt plugins (`io.kestra.plugin.dbt.cli.*`): dbt commands on the script machinery. */
import type { PluginDefinition } from '../api.js';
import Build from './cli/Build.js';
import DbtCLI from './cli/DbtCLI.js';
import Run from './cli/Run.js';
import Test from './cli/Test.js';

export const DBT_PLUGINS: readonly PluginDefinition[] = [DbtCLI, Build, Run, Test];
