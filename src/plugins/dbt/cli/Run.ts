import { dbtCommandTask } from './dbt-command-task.js';

export default dbtCommandTask('run', 'the models');
