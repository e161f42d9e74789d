import { defineCondition, p } from '../../api.js';
import { isLiteral } from '../../api.js';
import { conditionType, dateProp, legacyConditionNames } from './shared.js';

export default defineCondition({
  type: conditionType('PublicHoliday'),
  legacyNames: legacyConditionNames('PublicHoliday'),
  title: 'On a public holiday',
  description:
    'Holds when the tested date is a public holiday of the given country (and subdivision). Combine with `Not` to run on working days.',
  properties: {
    date: dateProp(),
    country: p
      .string()
      .describe('ISO 3166-1 alpha-2 country code, such as `FR` or `US`; the server locale when not set.'),
    subDivision: p
      .string()
      .describe('ISO 3166-2 subdivision code (a state or province), such as `US-CA` or `CA-QC`.'),
  },
  check: (props, report) => {
    const country = props.country;
    if (isLiteral(country) && !/^[A-Za-z]{2}$/.test(country)) {
      report(
        ['country'],
        `\`country\` must be a two-letter ISO 3166-1 code such as \`FR\`, got \`${country}\``,
      );
    }
  },
  examples: [
    {
      title: 'Run at 11:00 on French working days (neither holidays nor weekends)',
      code: `id: french_working_days
namespace: company.team
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: A working day in France.
triggers:
  - id: schedule
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 11 * * *"
    conditions:
      - type: io.kestra.plugin.core.condition.Not
        conditions:
          - type: io.kestra.plugin.core.condition.PublicHoliday
            country: FR
          - type: io.kestra.plugin.core.condition.Weekend`,
    },
  ],
});
