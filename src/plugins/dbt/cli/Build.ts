import { dbtCommandTask } from './dbt-command-task.js';

export default dbtCommandTask('build', 'seeds, models, snapshots and tests, in the order of the graph');
