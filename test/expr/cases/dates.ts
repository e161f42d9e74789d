import { toZonedDateTime, zoneOf } from '../../../src/expr/dates/index.js';
import type { ExprCase } from '../case.js';

const EVALUATION = 'WH_EXPR_EVALUATION';
const ARGUMENTS = 'WH_EXPR_ARGUMENTS';

/** A ZonedDateTime as Java's ZonedDateTime.parse reads it. */
const zdt = (text: string): unknown => toZonedDateTime(text, zoneOf('UTC'), undefined);

/** Dates as Kestra's context holds them: a Schedule trigger's ZonedDateTime, an execution's ISO string. */
const CTX: Record<string, unknown> = {
  inputs: { taxi: 'yellow', nothing: null, list: [1, 2] },
  trigger: { date: zdt('2024-02-05T02:00:00Z[UTC]'), previous: zdt('2024-02-04T02:00:00Z[UTC]') },
  execution: { startDate: '2024-02-05T10:15:30.123Z' },
  paris: zdt('2024-03-31T03:30+02:00[Europe/Paris]'),
  ny: zdt('2024-03-09T07:00-05:00[America/New_York]'),
  stamp: '2024-02-05T10:15:30.123456789Z',
  epoch: 1707128130,
  day: 1,
};

const NOW = '2024-02-05T10:15:30.123Z';

/** Adds the dates context to cases that do not bring their own. */
const withContext = (cases: ExprCase[]): ExprCase[] => cases.map((c) => (c.ctx ? c : { ...c, ctx: CTX }));

/**
 * Conformance cases: Kestra's date filters and `now()`. Expected texts come from Kestra's code
 * run on Java 17 (scripts/java/DateGroundTruth.java, the `kestra` section of
 * test/expr/dates/java-ground-truth.json); the render zone is UTC unless a case says otherwise.
 */
export const DATE_CASES: readonly ExprCase[] = withContext([
  // date: patterns, the default format, zones
  {
    t: "{{ trigger.date | date('yyyy-MM') }}",
    out: '2024-02',
    name: 'a ZonedDateTime in the context (benchmark form)',
  },
  {
    t: "{{ inputs.taxi }}_tripdata_{{ trigger.date | date('yyyy-MM') }}.csv",
    out: 'yellow_tripdata_2024-02.csv',
  },
  { t: '{{ trigger.date | date }}', out: '2024-02-05T02:00:00.000000Z', name: 'default format iso' },
  {
    t: '{{ trigger.date | date }}',
    timeZone: 'Europe/Paris',
    out: '2024-02-05T03:00:00.000000+01:00',
    name: 'shown in the render zone',
  },
  { t: "{{ trigger.date | date('iso') }}", out: '2024-02-05T02:00:00.000000Z' },
  {
    t: '{{ trigger.date | date("EEEE, MMMM d, yyyy \'at\' h:mm a") }}',
    out: 'Monday, February 5, 2024 at 2:00 AM',
  },
  {
    t: "{{ trigger.date | date('yyyy-MM-dd HH:mm z', 'America/New_York') }}",
    out: '2024-02-04 21:00 EST',
    name: 'timeZone by position',
  },
  {
    t: "{{ trigger.date | date(timeZone='America/New_York', format='yyyy-MM-dd HH:mm z') }}",
    out: '2024-02-04 21:00 EST',
    name: 'arguments by name, any order',
  },
  { t: "{{ trigger.date | date('HH:mm xxx', timeZone='Asia/Kolkata') }}", out: '07:30 +05:30' },
  {
    t: "{{ trigger.date | date('HH:mm zzzz', timeZone='America/Los_Angeles') }}",
    out: '18:00 Pacific Standard Time',
  },
  {
    t: "{{ trigger.date | date('HH:mm z') }}",
    timeZone: 'Europe/Paris',
    out: '03:00 CET',
    name: 'zone name in the render zone',
  },
  { t: "{{ trigger.date | date('iso_zoned_date_time') }}", out: '2024-02-05T02:00:00Z[UTC]' },
  {
    t: "{{ paris | date('iso_zoned_date_time', timeZone='Europe/Paris') }}",
    out: '2024-03-31T03:30:00+02:00[Europe/Paris]',
  },
  {
    t: "{{ trigger.date | dateFormat('yyyy-MM-dd') }}",
    out: '2024-02-05',
    name: 'dateFormat is date (course notes)',
  },
  { t: "{{ now | dateFormat('yyyy-MM-dd') }}", now: NOW, out: '2024-02-05', name: 'course notes form' },
  { t: "{{ now() | date('yyyy-MM-dd') }}", now: NOW, out: '2024-02-05' },
  // Kestra's named formats and styles
  { t: "{{ stamp | date('iso_sec', timeZone='Europe/Paris') }}", out: '2024-02-05T11:15:30+01:00' },
  { t: "{{ stamp | date('sql') }}", out: '2024-02-05 10:15:30.123456' },
  { t: "{{ stamp | date('sql_seq', timeZone='Asia/Tokyo') }}", out: '2024-02-05 19:15:30' },
  {
    t: "{{ stamp | date('iso_date_time', timeZone='Europe/Paris') }}",
    out: '2024-02-05T11:15:30.123456789+01:00[Europe/Paris]',
  },
  { t: "{{ stamp | date('iso_date', timeZone='America/New_York') }}", out: '2024-02-05-05:00' },
  { t: "{{ stamp | date('iso_time') }}", out: '10:15:30.123456789Z' },
  { t: "{{ stamp | date('iso_local_date') }}", out: '2024-02-05' },
  { t: "{{ stamp | date('iso_instant', timeZone='Europe/Paris') }}", out: '2024-02-05T10:15:30.123456789Z' },
  { t: "{{ execution.startDate | date('iso_local_date_time') }}", out: '2024-02-05T10:15:30.123' },
  { t: "{{ '2024-02-05T10:15:30Z' | date('iso_local_time') }}", out: '10:15:30' },
  {
    t: "{{ '2024-02-05T10:15:30Z' | date('iso_offset_time', timeZone='America/St_Johns') }}",
    out: '06:45:30-03:30',
  },
  { t: "{{ '2024-02-05T10:15:30Z' | date('iso_ordinal_date') }}", out: '2024-036Z' },
  {
    t: "{{ '2024-12-30T10:15:30Z' | date('iso_week_date') }}",
    out: '2025-W01-1Z',
    name: 'ISO week of the next year',
  },
  {
    t: "{{ '2024-02-05T10:15:30.5Z' | date('iso_zoned_date_time', timeZone='Europe/Paris') }}",
    out: '2024-02-05T11:15:30.5+01:00[Europe/Paris]',
  },
  { t: "{{ '2024-02-05T10:15:30Z' | date('rfc_1123_date_time') }}", out: 'Mon, 5 Feb 2024 10:15:30 GMT' },
  {
    t: "{{ '2024-02-05T10:15:30Z' | date('rfc_1123_date_time', timeZone='Europe/Paris') }}",
    out: 'Mon, 5 Feb 2024 11:15:30 +0100',
  },
  {
    t: "{{ '2024-02-05T10:15:30Z' | date('full', timeZone='Europe/Paris') }}",
    out: 'Monday, February 5, 2024 at 11:15:30 AM Central European Standard Time',
  },
  {
    t: "{{ '2024-02-05T10:15:30Z' | date('long', timeZone='America/New_York') }}",
    out: 'February 5, 2024 at 5:15:30 AM EST',
  },
  { t: "{{ '2024-02-05T10:15:30Z' | date('medium') }}", out: 'Feb 5, 2024, 10:15:30 AM' },
  { t: "{{ '2024-02-05T10:15:30Z' | date('short') }}", out: '2/5/24, 10:15 AM' },
  // locales
  { t: "{{ '2024-02-05T10:15:30Z' | date('EEEE d MMMM yyyy', locale='fr') }}", out: 'lundi 5 février 2024' },
  {
    t: "{{ '2024-02-05T10:15:30Z' | date('full', timeZone='Europe/Berlin', locale='de_DE') }}",
    out: 'Montag, 5. Februar 2024 um 11:15:30 Mitteleuropäische Normalzeit',
  },
  { t: "{{ '2024-02-05T15:15:30Z' | date('medium', locale='en-GB') }}", out: '5 Feb 2024, 15:15:30' },
  {
    t: "{{ '2024-02-05T10:15:30Z' | date('EEEE', null, null, 'fr') }}",
    out: 'lundi',
    name: 'locale by position',
  },
  // strings in, as Kestra reads them
  { t: "{{ '2024-02-05T10:15:30+01:00' | date('yyyy-MM-dd HH:mm') }}", out: '2024-02-05 09:15' },
  {
    t: "{{ '2024-02-05T10:15:30+01:00[Europe/Paris]' | date('VV HH:mm') }}",
    timeZone: 'America/New_York',
    out: 'America/New_York 04:15',
  },
  {
    t: "{{ '2024-02-05T10:15:30' | date('yyyy-MM-dd HH:mm XXX', timeZone='Europe/Paris') }}",
    out: '2024-02-05 10:15 +01:00',
    name: 'a local date-time is in the zone',
  },
  {
    t: "{{ '2024-02-05' | date(timeZone='Europe/Paris') }}",
    out: '2024-02-05T00:00:00.000000+01:00',
    name: 'a plain date is the start of its day',
  },
  { t: "{{ '2024-02-05' | date('yyyy-MM-dd HH:mm') }}", out: '2024-02-05 00:00' },
  { t: "{{ execution.startDate | date('dd/MM/yyyy') }}", out: '05/02/2024' },
  { t: "{{ '2024-02-05T10:15+05:30' | date('HH:mm:ss') }}", timeZone: 'Asia/Kolkata', out: '10:15:00' },
  { t: "{{ '2013-09-08T16:19:12+01' | date('HH:mm') }}", out: '15:19', name: 'an offset of hours only' },
  // existingFormat
  {
    t: "{{ 'July 24, 2001' | date('yyyy-MM-dd', existingFormat='MMMM dd, yyyy') }}",
    out: '2001-07-24',
    name: 'documented: existingFormat',
  },
  {
    t: "{{ '24/07/2001 13:45' | date('iso', existingFormat='dd/MM/yyyy HH:mm', timeZone='Europe/Paris') }}",
    out: '2001-07-24T13:45:00.000000+02:00',
  },
  {
    t: "{{ '20240205101530' | date('yyyy-MM-dd HH:mm:ss', existingFormat='yyyyMMddHHmmss') }}",
    out: '2024-02-05 10:15:30',
    name: 'adjacent numbers',
  },
  {
    t: "{{ 'Tue, 08 Feb 2022 19:38:26 GMT' | date(existingFormat='rfc_1123_date_time', timeZone='Europe/Paris') }}",
    out: '2022-02-08T20:38:26.000000+01:00',
  },
  {
    t: "{{ '2024-02-05 10:15:30' | date('HH:mm', existingFormat='sql_seq') }}",
    timeZone: 'Europe/Paris',
    out: '10:15',
  },
  {
    t: "{{ '05.02.2024' | date('yyyy-MM-dd', null, 'dd.MM.yyyy') }}",
    out: '2024-02-05',
    name: 'existingFormat by position',
  },
  {
    t: "{{ '2024-02-05 10:15:30 +0530' | date('iso', existingFormat='yyyy-MM-dd HH:mm:ss Z') }}",
    out: '2024-02-05T04:45:30.000000Z',
  },
  { t: "{{ '2024-02-05 10:15 PM' | date('HH:mm', existingFormat='yyyy-MM-dd hh:mm a') }}", out: '22:15' },
  {
    t: "{{ '2023-02-30' | date('yyyy-MM-dd', existingFormat='yyyy-MM-dd') }}",
    out: '2023-02-28',
    name: 'a pattern reads a day past the month as its last (Java SMART)',
  },
  // epoch seconds
  {
    t: "{{ 1707128130 | date('yyyy-MM-dd HH:mm:ss') }}",
    out: '2024-02-05 10:15:30',
    name: 'a number is epoch seconds',
  },
  { t: "{{ epoch | date(timeZone='Asia/Tokyo') }}", out: '2024-02-05T19:15:30.000000+09:00' },
  { t: "{{ 0 | date('yyyy-MM-dd HH:mm') }}", out: '1970-01-01 00:00' },
  { t: "{{ -86400 | date('yyyy-MM-dd EEEE') }}", out: '1969-12-31 Wednesday' },
  // DST, leap days, year boundaries, negative offsets
  {
    t: "{{ '2024-03-10T06:59:59Z' | date('HH:mm:ss z', timeZone='America/New_York') }}",
    out: '01:59:59 EST',
  },
  {
    t: "{{ '2024-03-10T07:00:00Z' | date('HH:mm:ss z', timeZone='America/New_York') }}",
    out: '03:00:00 EDT',
  },
  {
    t: "{{ '2024-03-31T00:59:59Z' | date('HH:mm:ss zzzz', timeZone='Europe/Paris') }}",
    out: '01:59:59 Central European Standard Time',
  },
  {
    t: "{{ '2024-03-31T01:00:00Z' | date('HH:mm:ss zzzz', timeZone='Europe/Paris') }}",
    out: '03:00:00 Central European Summer Time',
  },
  {
    t: "{{ '2024-11-03T05:30:00Z' | date('HH:mm XXX z', timeZone='America/New_York') }}",
    out: '01:30 -04:00 EDT',
  },
  {
    t: "{{ '2024-11-03T06:30:00Z' | date('HH:mm XXX z', timeZone='America/New_York') }}",
    out: '01:30 -05:00 EST',
  },
  {
    t: "{{ '2024-03-10T02:30:00' | date('iso_zoned_date_time', timeZone='America/New_York') }}",
    out: '2024-03-10T03:30:00-04:00[America/New_York]',
    name: 'a local time in the spring gap moves forward',
  },
  {
    t: "{{ '2024-10-27T02:30:00' | date(\"yyyy-MM-dd'T'HH:mm:ssXXX\", timeZone='Europe/Paris') }}",
    out: '2024-10-27T02:30:00+02:00',
    name: 'a local time in the autumn overlap takes the earlier offset',
  },
  {
    t: "{{ '2024-02-29T12:00:00Z' | date('D EEEE yyyy-MM-dd') }}",
    out: '60 Thursday 2024-02-29',
    name: 'leap day',
  },
  {
    t: "{{ '2024-12-30T12:00:00Z' | date(\"YYYY-'W'ww e\") }}",
    out: '2025-W01 2',
    name: 'week-based year (US weeks)',
  },
  {
    t: "{{ '2023-12-31T23:30:00Z' | date('yyyy-MM-dd HH:mm', timeZone='Europe/Paris') }}",
    out: '2024-01-01 00:30',
  },
  {
    t: "{{ '2024-01-01T05:00:00Z' | date('yyyy-MM-dd HH:mm', timeZone='America/Los_Angeles') }}",
    out: '2023-12-31 21:00',
  },
  {
    t: "{{ '2024-02-05T10:15:30-03:30' | date('XXX xx Z O', timeZone='America/St_Johns') }}",
    out: '-03:30 -0330 -0330 GMT-3:30',
  },
  {
    t: "{{ '2024-02-05T10:15:30Z' | date('HH:mm XXX z', timeZone='-08:00') }}",
    out: '02:15 -08:00 -08:00',
    name: 'an offset as the zone',
  },
  {
    t: "{{ '2024-02-05T10:15:30Z' | date('HH:mm z VV', timeZone='UTC+1') }}",
    out: '11:15 UTC+01:00 UTC+01:00',
  },
  { t: "{{ stamp | date('ss.SSS n') }}", out: '30.123 123456789' },
  {
    t: "{{ '2024-02-05T10:15:30Z' | date(\"yyyy 'at' h 'o''clock'\") }}",
    out: "2024 at 10 o'clock",
    name: 'quoted literals',
  },
  { t: "{{ '2024-02-05T10:15:30Z' | date('yyyy[-MM]') }}", out: '2024-02', name: 'optional section' },
  // dateAdd
  { t: "{{ trigger.date | dateAdd(1, 'DAYS') }}", out: '2024-02-06T02:00:00.000000Z' },
  { t: "{{ trigger.date | dateAdd(-1, 'DAYS', 'yyyy-MM-dd') }}", out: '2024-02-04' },
  { t: "{{ trigger.date | dateAdd(2, 'HOURS', 'HH:mm') }}", out: '04:00' },
  { t: "{{ trigger.date | dateAdd(amount=3, unit='MONTHS', format='yyyy-MM-dd') }}", out: '2024-05-05' },
  {
    t: "{{ trigger.date | dateAdd(1, 'DAYS', 'yyyy-MM-dd HH:mm', 'Asia/Tokyo') }}",
    out: '2024-02-06 11:00',
    name: 'dateAdd arguments by position',
  },
  { t: "{{ '2024-01-31T10:00:00Z' | dateAdd(1, 'MONTHS', 'yyyy-MM-dd') }}", out: '2024-02-29' },
  { t: "{{ '2024-02-29T12:00:00Z' | dateAdd(1, 'YEARS', 'yyyy-MM-dd') }}", out: '2025-02-28' },
  {
    t: "{{ ny | dateAdd(1, 'DAYS', 'iso_zoned_date_time', 'America/New_York') }}",
    out: '2024-03-10T07:00:00-04:00[America/New_York]',
    name: 'a day across the spring change keeps the wall time',
  },
  {
    t: "{{ ny | dateAdd(24, 'HOURS', 'iso_zoned_date_time', 'America/New_York') }}",
    out: '2024-03-10T08:00:00-04:00[America/New_York]',
    name: '24 hours across the spring change do not',
  },
  {
    t: "{{ trigger.date | dateAdd('2', 'WEEKS', 'yyyy-MM-dd') }}",
    out: '2024-02-19',
    name: 'an amount as text',
  },
  { t: "{{ '2024-02-05T10:15:30Z' | dateAdd(-90, 'MINUTES', 'HH:mm:ss') }}", out: '08:45:30' },
  { t: "{{ '2024-02-05T10:15:30Z' | dateAdd(1500, 'MILLIS', 'HH:mm:ss.SSS') }}", out: '10:15:31.500' },
  {
    t: "{{ '2024-02-05T10:15:30Z' | dateAdd(3, 'HALF_DAYS', 'yyyy-MM-dd HH:mm') }}",
    out: '2024-02-06 22:15',
  },
  { t: "{{ '2024-02-05T10:15:30Z' | dateAdd(1, 'DECADES', 'yyyy') }}", out: '2034' },
  {
    t: "{{ '05/02/2024' | dateAdd(1, 'DAYS', 'yyyy-MM-dd', existingFormat='dd/MM/yyyy') }}",
    out: '2024-02-06',
  },
  {
    t: "{{ '2013-09-08T16:19:00+02' | dateAdd(day, 'DAYS') | date('yyyy-MM-dd HH:mm:ss z', timeZone='Australia/Perth') }}",
    out: '2013-09-09 22:19:00 AWST',
    name: "Kestra's own test",
  },
  {
    t: "{{ now | dateAdd(-1, 'DAYS', 'yyyy-MM-dd') }}",
    now: '2024-03-01T00:30:00Z',
    timeZone: 'Europe/Paris',
    out: '2024-02-29',
  },
  {
    t: "{{ now() | dateAdd(1, 'DAYS') }}",
    now: '2024-03-30T11:00:00Z',
    timeZone: 'Europe/Paris',
    out: '2024-03-31T13:00:00.000000+02:00',
    name: 'now() is text with an offset in Kestra: a day is added at that offset',
  },
  // timestamps
  { t: '{{ trigger.date | timestamp }}', out: '1707098400' },
  { t: '{{ stamp | timestampMilli }}', out: '1707128130123' },
  { t: '{{ stamp | timestampMicro }}', out: '1707128130123456' },
  { t: '{{ stamp | timestampNano }}', out: '1707128130123456789' },
  { t: '{{ epoch | timestamp }}', out: '1707128130' },
  { t: "{{ '2024-02-05' | timestamp(timeZone='Europe/Paris') }}", out: '1707087600' },
  { t: "{{ '05/02/2024' | timestamp(existingFormat='dd/MM/yyyy') }}", out: '1707091200' },
  {
    t: "{{ '2024-02-05T10:15:30' | timestampMilli('Asia/Kolkata') }}",
    out: '1707108330000',
    name: 'timeZone by position',
  },
  {
    t: "{{ (trigger.date | timestamp) > (trigger.date | dateAdd(-1, 'DAYS') | timestamp) }}",
    out: 'true',
    name: "Kestra's own test",
  },
  { t: '{{ trigger.date | timestamp }}', typed: 1707098400, name: 'timestamp is a number' },
  { t: '{{ stamp | timestampMicro }}', typed: '1707128130123456', name: 'timestampMicro is text, as Kestra' },
  // now()
  { t: '{{ now() }}', now: NOW, out: '2024-02-05T10:15:30.123000Z' },
  { t: '{{ now() }}', now: NOW, timeZone: 'Europe/Paris', out: '2024-02-05T11:15:30.123000+01:00' },
  { t: "{{ now(timeZone='America/New_York') }}", now: NOW, out: '2024-02-05T05:15:30.123000-05:00' },
  { t: "{{ now(format='yyyy-MM-dd') }}", now: NOW, out: '2024-02-05' },
  {
    t: "{{ now('iso_local_date') }}",
    now: '2024-02-05T20:15:30.123Z',
    timeZone: 'Asia/Tokyo',
    out: '2024-02-06',
    name: 'format by position',
  },
  { t: "{{ now(format='EEEE', locale='fr') }}", now: NOW, out: 'lundi' },
  { t: '{{ now }}', now: NOW, out: '2024-02-05T10:15:30.123000Z', name: 'a bare now is now()' },
  {
    t: "{{ now() | date('yyyy-MM-dd HH:mm', timeZone='Asia/Tokyo') }}",
    now: '2024-02-05T20:15:30.123Z',
    out: '2024-02-06 05:15',
  },
  { t: '{{ now() | timestamp }}', now: NOW, out: '1707128130' },
  { t: "{{ now() | dateAdd(1, 'HOURS', 'HH:mm') }}", now: NOW, out: '11:15' },
  // a ZonedDateTime value
  {
    t: '{{ trigger.date }}',
    out: '2024-02-05T02:00Z[UTC]',
    name: "printed as Java's ZonedDateTime.toString",
  },
  { t: '{{ paris }}', out: '2024-03-31T03:30+02:00[Europe/Paris]' },
  {
    t: '{{ trigger.date.year }}-{{ trigger.date.monthValue }}-{{ trigger.date.dayOfMonth }} {{ trigger.date.dayOfWeek }} {{ trigger.date.month }}',
    out: '2024-2-5 MONDAY FEBRUARY',
    name: "Java's getters as attributes",
  },
  { t: '{{ trigger.date < now() }}', now: NOW, out: 'true', name: 'date-times compare by instant' },
  { t: '{{ trigger.previous < trigger.date }}', out: 'true' },
  { t: '{{ [trigger.date] }}', out: '["2024-02-05T02:00:00Z"]', name: 'in JSON, as Jackson writes it' },
  // null in, null out
  { t: "{{ inputs.nothing | date('yyyy') }}", out: '' },
  { t: "{{ inputs.nothing | dateAdd(1, 'DAYS') }}", out: '' },
  { t: '{{ inputs.nothing | timestamp }}', out: '' },
  // errors
  {
    t: "{{ trigger.date | date('yyyy-bb') }}",
    err: { code: EVALUATION, message: 'Unknown pattern letter: b' },
  },
  {
    t: '{{ trigger.date | date("yyyy-MM-dd\'T") }}',
    err: { code: EVALUATION, message: 'Pattern ends with an incomplete string literal' },
  },
  {
    t: "{{ trigger.date | date('EEEEEE') }}",
    err: { code: EVALUATION, message: 'Too many pattern letters: E' },
  },
  {
    t: "{{ trigger.date | date('iso_offset_date_time') }}",
    err: { code: EVALUATION, message: 'Unknown pattern letter: i' },
    name: "not one of Kestra's names, so a pattern",
  },
  {
    t: "{{ trigger.date | date('yyyy', timeZone='Europe/Pariss') }}",
    err: { code: EVALUATION, message: 'Unknown time-zone ID: Europe/Pariss' },
  },
  {
    t: "{{ trigger.date | date('yyyy', timeZone='europe/paris') }}",
    err: { code: EVALUATION, message: 'Unknown time-zone ID: europe/paris' },
    name: 'zone ids are case-sensitive, as Java',
  },
  {
    t: "{{ now(timeZone='Mars/Base') }}",
    now: NOW,
    err: { code: EVALUATION, message: 'Unknown time-zone ID: Mars/Base' },
  },
  {
    t: "{{ '2024-13-45' | date }}",
    err: {
      code: EVALUATION,
      message:
        "cannot read `2024-13-45` as a date-time: Text '2024-13-45' could not be parsed: Invalid value for MonthOfYear (valid values 1 - 12): 13",
    },
  },
  { t: "{{ 'not a date' | date }}", err: { code: EVALUATION, message: 'could not be parsed at index 0' } },
  {
    t: "{{ '2024-02-05 10:15:30' | date }}",
    err: { code: EVALUATION, message: 'unparsed text found at index 10' },
    name: 'a space for T needs existingFormat',
  },
  {
    t: "{{ '2024-02-05' | date(existingFormat='dd/MM/yyyy') }}",
    err: {
      code: EVALUATION,
      message: "cannot read `2024-02-05` as a date-time: Text '2024-02-05' could not be parsed at index 2",
    },
  },
  {
    t: "{{ '2024-02-05T10:15:30Z' | date(existingFormat='iso_instant') }}",
    err: { code: EVALUATION, message: 'Unable to obtain LocalDate' },
    name: 'iso_instant cannot read a date-time back (as Kestra)',
  },
  { t: "{{ trigger.date | dateAdd(1, 'days') }}", err: { code: EVALUATION, message: 'unknown unit `days`' } },
  {
    t: "{{ trigger.date | dateAdd(1, 'FOREVER') }}",
    err: { code: EVALUATION, message: 'Unsupported unit: Forever' },
  },
  {
    t: "{{ trigger.date | dateAdd('x', 'DAYS') }}",
    err: { code: EVALUATION, message: 'needs a whole number as `amount`' },
  },
  { t: '{{ inputs.list | date }}', err: { code: EVALUATION, message: 'cannot read a list as a date-time' } },
  { t: '{{ 1.5 | date }}', err: { code: EVALUATION, message: 'whole epoch seconds' } },
  {
    t: "{{ trigger.date | date('yyyy', locale='!!') }}",
    err: { code: EVALUATION, message: 'Invalid locale format: !!' },
  },
  { t: '{{ trigger.date | date(123) }}', err: { code: EVALUATION, message: 'needs a string as `format`' } },
  { t: '{{ trigger.date | dateAdd(1) }}', err: { code: ARGUMENTS, message: 'needs the argument `unit`' } },
  {
    t: "{{ trigger.date | date('a', 'b', 'c', 'd', 'e') }}",
    err: { code: ARGUMENTS, message: 'takes at most 4 arguments' },
  },
  { t: "{{ trigger.date | date(zone='UTC') }}", err: { code: ARGUMENTS, message: 'has no argument `zone`' } },
]);
