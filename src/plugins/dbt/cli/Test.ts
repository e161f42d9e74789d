import { dbtCommandTask } from './dbt-command-task.js';

export default dbtCommandTask('test', 'the data tests');
