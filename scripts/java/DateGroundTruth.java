// Prints what Java 17 (and so Kestra) answers for Windhover's date test table, as JSON.
// Run from the repository root, with Java 17:
//   java scripts/java/DateGroundTruth.java > test/expr/dates/java-ground-truth.json
//   npx prettier --write test/expr/dates/java-ground-truth.json
// CI has no Java: the output is committed, and the tests in test/expr/dates compare Windhover with it.
import java.time.*;
import java.time.format.*;
import java.time.temporal.ChronoUnit;
import java.util.*;

public class DateGroundTruth {
    static final String[] INSTANTS = {
        "2024-02-05T10:15:30.123456789Z", "2024-02-29T23:59:59.999Z", "2023-12-31T23:30:00Z", "2024-01-01T00:00:00Z",
        "2024-03-10T06:59:59Z", "2024-03-10T07:00:00Z", "2024-11-03T05:30:00Z", "2024-11-03T06:30:00Z",
        "2024-03-31T00:59:59.500Z", "2024-03-31T01:00:00Z", "2024-10-27T00:30:00Z", "2024-10-27T01:30:00Z",
        "2021-01-03T12:00:00Z", "2024-07-04T00:05:09.050Z", "2024-06-15T12:00:00.000001Z", "1969-07-20T20:17:40Z",
        "-0044-03-15T12:00:00Z", "+12345-06-07T08:09:10Z", "1970-01-01T00:00:00Z", "2020-12-31T12:00:00Z",
        "2024-12-30T18:45:00.100Z", "2019-01-01T03:00:00.120Z",
    };
    static final String[] ZONES = {
        "UTC", "Z", "Europe/Paris", "America/New_York", "Asia/Kolkata", "America/St_Johns", "Asia/Kathmandu",
        "Australia/Sydney", "America/Los_Angeles", "Pacific/Chatham", "-08:00", "+05:30", "UTC+1", "GMT",
        "Europe/London", "Asia/Tokyo", "Europe/Dublin", "Australia/Lord_Howe", "America/Sao_Paulo", "Etc/GMT+5",
        "+01:02:03", "US/Eastern", "CET", "Etc/UTC",
    };
    /** (instant, zone) pairs every pattern is tried on. */
    static final int[][] PAIRS = {
        {0, 0}, {0, 2}, {0, 3}, {0, 4}, {0, 10}, {0, 1}, {1, 8}, {2, 2}, {2, 5}, {12, 0}, {13, 0}, {14, 6},
        {16, 0}, {17, 0}, {15, 3}, {7, 3}, {11, 2}, {0, 12}, {0, 13}, {19, 9}, {0, 20}, {6, 3}, {10, 2}, {20, 14},
        {21, 7}, {3, 15}, {5, 21}, {9, 22}, {4, 16}, {13, 23},
    };
    static final String[] PATTERNS = {
        "yyyy-MM-dd", "yyyy-MM", "y", "yy", "yyy", "yyyy", "yyyyy", "u", "uu", "uuu", "uuuu", "uuuuu", "G", "GG", "GGG",
        "GGGG", "GGGGG", "Y", "YY", "YYY", "YYYY", "YYYYY", "M", "MM", "MMM", "MMMM", "MMMMM", "L", "LL", "LLL", "LLLL",
        "LLLLL", "d", "dd", "D", "DD", "DDD", "Q", "QQ", "QQQ", "QQQQ", "QQQQQ", "q", "qq", "qqq", "qqqq", "qqqqq", "w",
        "ww", "W", "E", "EE", "EEE", "EEEE", "EEEEE", "e", "ee", "eee", "eeee", "eeeee", "c", "ccc", "cccc", "ccccc", "F",
        "a", "h", "hh", "K", "KK", "k", "kk", "H", "HH", "m", "mm", "s", "ss", "S", "SS", "SSS", "SSSS", "SSSSSS",
        "SSSSSSSSS", "A", "AAAAAAAA", "n", "nnnnnnnnnn", "N", "NNNNNNNNNNNN", "VV", "z", "zz", "zzz", "zzzz", "v", "vvvv",
        "O", "OOOO", "X", "XX", "XXX", "XXXX", "XXXXX", "x", "xx", "xxx", "xxxx", "xxxxx", "Z", "ZZ", "ZZZ", "ZZZZ",
        "ZZZZZ", "B", "BBBB", "BBBBB", "g", "ggggg", "'T'", "''", "'o''clock'", "'it''s' h", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
        "EEE, d MMM yyyy HH:mm:ss Z", "h:mm a", "hh 'o''clock' a, zzzz", "K:mm a, z", "[yyyy][-MM]", "yyyy[-MM[-dd]]",
        "dd/MM/yyyy HH:mm", "yyyyMMddHHmmss", "ppd|", "pppMMM|", "p", "yyyy-MM-dd HH:mm:ss.SSSSSS", "a h:mm", "EEEE, MMMM d",
        "uuuu-DDD", "YYYY-'W'ww-e", "HH:mm:ss.n", "yyyy.MM.dd G 'at' HH:mm:ss z", "EEE, MMM d, ''yy", "  yyyy  ", "yyyy/MM/dd#",
        "b", "ll", "I", "t", "j", "yyyy-MM-dd'T", "]", "[yyyy", "{", "cc", "SSSSSSSSSS", "zzzzz", "V", "VVV", "EEEEEE",
        "aa", "hhh", "OO", "XXXXXX", "xxxxxx", "ZZZZZZ", "www", "WW", "FF", "MMMMMM", "dd-MMM-yyyy", "HHH", "mmm", "vv",
    };
    /** Patterns tried on every instant in every zone. */
    static final String[] WIDE = {
        "uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS xxxxx VV", "z zzzz v O", "YYYY-ww-e D E a h K k", "yyyy-MM-dd HH:mm XXX", "B BBBB BBBBB W F Q e c",
    };
    static final String[] NAMED = {
        "iso", "iso_sec", "sql", "sql_seq", "iso_date_time", "iso_date", "iso_time", "iso_local_date", "iso_instant",
        "iso_local_date_time", "iso_local_time", "iso_offset_time", "iso_ordinal_date", "iso_week_date",
        "iso_zoned_date_time", "rfc_1123_date_time", "full", "long", "medium", "short",
    };
    static final String[] LOCALES = { "fr", "de", "en-GB", "es", "ja", "fr-FR", "it", "pt-BR", "nl" };
    static final String[] LOCALE_PATTERNS = {
        "EEEE d MMMM yyyy", "EEE MMM", "a G", "QQQ QQQQ", "LLLL cccc", "MMMMM EEEEE", "full", "long", "medium", "short", "z zzzz",
    };

    static final Map<String, DateTimeFormatter> FORMATTERS = new LinkedHashMap<>();
    static final Map<String, FormatStyle> STYLES = Map.of(
        "full", FormatStyle.FULL, "long", FormatStyle.LONG, "medium", FormatStyle.MEDIUM, "short", FormatStyle.SHORT);
    static {
        FORMATTERS.put("iso", DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX"));
        FORMATTERS.put("iso_sec", DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX"));
        FORMATTERS.put("sql", DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS"));
        FORMATTERS.put("sql_seq", DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
        FORMATTERS.put("iso_date_time", DateTimeFormatter.ISO_DATE_TIME);
        FORMATTERS.put("iso_date", DateTimeFormatter.ISO_DATE);
        FORMATTERS.put("iso_time", DateTimeFormatter.ISO_TIME);
        FORMATTERS.put("iso_local_date", DateTimeFormatter.ISO_LOCAL_DATE);
        FORMATTERS.put("iso_instant", DateTimeFormatter.ISO_INSTANT);
        FORMATTERS.put("iso_local_date_time", DateTimeFormatter.ISO_LOCAL_DATE_TIME);
        FORMATTERS.put("iso_local_time", DateTimeFormatter.ISO_LOCAL_TIME);
        FORMATTERS.put("iso_offset_time", DateTimeFormatter.ISO_OFFSET_TIME);
        FORMATTERS.put("iso_ordinal_date", DateTimeFormatter.ISO_ORDINAL_DATE);
        FORMATTERS.put("iso_week_date", DateTimeFormatter.ISO_WEEK_DATE);
        FORMATTERS.put("iso_zoned_date_time", DateTimeFormatter.ISO_ZONED_DATE_TIME);
        FORMATTERS.put("rfc_1123_date_time", DateTimeFormatter.RFC_1123_DATE_TIME);
    }

    /** Kestra's AbstractDate.formatter. */
    static DateTimeFormatter formatter(String format) {
        if (STYLES.containsKey(format)) return DateTimeFormatter.ofLocalizedDateTime(STYLES.get(format));
        if (FORMATTERS.containsKey(format)) return FORMATTERS.get(format);
        return DateTimeFormatter.ofPattern(format);
    }

    /** Kestra's AbstractDate.format of a date already converted. */
    static String format(ZonedDateTime date, String format, ZoneId zone, Locale locale) {
        return formatter(format).withLocale(locale).withZone(zone).format(date);
    }

    /** Kestra's AbstractDate.convert for a string. */
    static ZonedDateTime convert(String value, ZoneId zoneId, String existingFormat) {
        try {
            return existingFormat != null ? ZonedDateTime.parse(value, formatter(existingFormat)) : ZonedDateTime.parse(value);
        } catch (DateTimeParseException e) {
            try {
                return existingFormat != null
                    ? LocalDateTime.parse(value, formatter(existingFormat)).atZone(zoneId)
                    : LocalDateTime.parse(value).atZone(zoneId);
            } catch (DateTimeParseException e2) {
                return existingFormat != null
                    ? LocalDate.parse(value, formatter(existingFormat)).atStartOfDay().atZone(zoneId)
                    : LocalDate.parse(value).atStartOfDay().atZone(zoneId);
            }
        }
    }


    /** Kestra's AbstractDate.convert for any input. */
    static ZonedDateTime convertAny(Object value, ZoneId zoneId, String existingFormat) {
        if (value instanceof ZonedDateTime) return (ZonedDateTime) value;
        if (value instanceof Long) return Instant.ofEpochSecond((Long) value).atZone(zoneId);
        return convert((String) value, zoneId, existingFormat);
    }

    /** Kestra's AbstractDate.format(input, args, context) with the render's zone and Locale.US. */
    static String kestraFormat(Object input, Map<String, Object> args, ZoneId system) {
        String format = args.containsKey("format") ? (String) args.get("format") : "iso";
        String timeZone = (String) args.get("timeZone");
        String existingFormat = (String) args.get("existingFormat");
        Locale locale = args.containsKey("locale") ? Locale.forLanguageTag(((String) args.get("locale")).replace('_', '-')) : Locale.US;
        ZoneId zoneId = timeZone != null ? ZoneId.of(timeZone) : system;
        ZonedDateTime date = convertAny(input, zoneId, existingFormat);
        return formatter(format).withLocale(locale).withZone(zoneId).format(date);
    }

    /** One of Kestra's date filters or now(), as its source does it. */
    static Object kestraCall(String name, Object input, Map<String, Object> args, ZoneId system, Instant now) {
        String timeZone = (String) args.get("timeZone");
        ZoneId zoneId = timeZone != null ? ZoneId.of(timeZone) : system;
        String existingFormat = (String) args.get("existingFormat");
        switch (name) {
            case "now":
                return kestraFormat(now.atZone(system), args, system);
            case "date":
                return input == null ? null : kestraFormat(input, args, system);
            case "dateAdd": {
                if (input == null) return null;
                Object amount = args.get("amount");
                long n = amount instanceof String ? Long.parseLong((String) amount) : ((Number) amount).longValue();
                ZonedDateTime plus = convertAny(input, zoneId, existingFormat).plus(n, ChronoUnit.valueOf((String) args.get("unit")));
                return kestraFormat(plus, args, system);
            }
            case "timestamp":
                return input == null ? null : convertAny(input, zoneId, existingFormat).toEpochSecond();
            case "timestampMilli":
                return input == null ? null : convertAny(input, zoneId, existingFormat).toInstant().toEpochMilli();
            case "timestampMicro": {
                if (input == null) return null;
                ZonedDateTime d = convertAny(input, zoneId, existingFormat);
                return String.valueOf(java.util.concurrent.TimeUnit.SECONDS.toMicros(d.toEpochSecond()) + java.util.concurrent.TimeUnit.NANOSECONDS.toMicros(d.getNano()));
            }
            case "timestampNano": {
                if (input == null) return null;
                ZonedDateTime d = convertAny(input, zoneId, existingFormat);
                return String.valueOf(java.util.concurrent.TimeUnit.SECONDS.toNanos(d.toEpochSecond()) + d.getNano());
            }
            default:
                throw new IllegalArgumentException("unknown filter " + name);
        }
    }

    /** A value of a case: `zdt:` a ZonedDateTime.parse, `long:` a Long, `str:` a String, `null`. */
    static Object value(String spec) {
        if (spec.equals("null")) return null;
        if (spec.startsWith("zdt:")) return ZonedDateTime.parse(spec.substring(4));
        if (spec.startsWith("long:")) return Long.parseLong(spec.substring(5));
        if (spec.startsWith("str:")) return spec.substring(4);
        throw new IllegalArgumentException(spec);
    }

    /**
     * Filter-level cases: [id, input, calls, render zone, now]. Calls are `name|key=value|…`
     * separated by ` >> `; an amount is a Long unless written `str:1`. The input `now` starts
     * with the now() function (its calls' first entry).
     */
    static final String[][] KESTRA_CASES = {
        {"month", "zdt:2024-02-05T02:00:00Z[UTC]", "date|format=yyyy-MM", "UTC", ""},
        {"default-iso", "zdt:2024-02-05T02:00:00Z[UTC]", "date", "UTC", ""},
        {"default-iso-paris", "zdt:2024-02-05T02:00:00Z[UTC]", "date", "Europe/Paris", ""},
        {"long-pattern", "zdt:2024-02-05T02:00:00Z[UTC]", "date|format=EEEE, MMMM d, yyyy 'at' h:mm a", "UTC", ""},
        {"named-zone", "zdt:2024-02-05T02:00:00Z[UTC]", "date|format=yyyy-MM-dd HH:mm z|timeZone=America/New_York", "UTC", ""},
        {"kolkata", "zdt:2024-02-05T02:00:00Z[UTC]", "date|format=HH:mm xxx|timeZone=Asia/Kolkata", "UTC", ""},
        {"la-long-name", "zdt:2024-02-05T02:00:00Z[UTC]", "date|format=HH:mm zzzz|timeZone=America/Los_Angeles", "UTC", ""},
        {"render-zone", "zdt:2024-02-05T02:00:00Z[UTC]", "date|format=HH:mm z", "Europe/Paris", ""},
        {"zoned-utc", "zdt:2024-02-05T02:00:00Z[UTC]", "date|format=iso_zoned_date_time", "UTC", ""},
        {"tostring-paris", "zdt:2024-03-31T03:30+02:00[Europe/Paris]", "date|format=iso_zoned_date_time|timeZone=Europe/Paris", "UTC", ""},
        {"iso_sec", "str:2024-02-05T10:15:30.123456789Z", "date|format=iso_sec|timeZone=Europe/Paris", "UTC", ""},
        {"sql", "str:2024-02-05T10:15:30.123456789Z", "date|format=sql", "UTC", ""},
        {"sql_seq", "str:2024-02-05T10:15:30.123456789Z", "date|format=sql_seq|timeZone=Asia/Tokyo", "UTC", ""},
        {"iso_date_time", "str:2024-02-05T10:15:30.123456789Z", "date|format=iso_date_time|timeZone=Europe/Paris", "UTC", ""},
        {"iso_date", "str:2024-02-05T10:15:30.123456789Z", "date|format=iso_date|timeZone=America/New_York", "UTC", ""},
        {"iso_time", "str:2024-02-05T10:15:30.123456789Z", "date|format=iso_time", "UTC", ""},
        {"iso_local_date", "str:2024-02-05T10:15:30.123456789Z", "date|format=iso_local_date", "UTC", ""},
        {"iso_instant", "str:2024-02-05T10:15:30.123456789Z", "date|format=iso_instant|timeZone=Europe/Paris", "UTC", ""},
        {"iso_local_date_time", "str:2024-02-05T10:15:30.120Z", "date|format=iso_local_date_time", "UTC", ""},
        {"iso_local_time", "str:2024-02-05T10:15:30Z", "date|format=iso_local_time", "UTC", ""},
        {"iso_offset_time", "str:2024-02-05T10:15:30Z", "date|format=iso_offset_time|timeZone=America/St_Johns", "UTC", ""},
        {"iso_ordinal_date", "str:2024-02-05T10:15:30Z", "date|format=iso_ordinal_date", "UTC", ""},
        {"iso_week_date", "str:2024-12-30T10:15:30Z", "date|format=iso_week_date", "UTC", ""},
        {"iso_zoned_date_time", "str:2024-02-05T10:15:30.5Z", "date|format=iso_zoned_date_time|timeZone=Europe/Paris", "UTC", ""},
        {"rfc_1123", "str:2024-02-05T10:15:30Z", "date|format=rfc_1123_date_time", "UTC", ""},
        {"rfc_1123-paris", "str:2024-02-05T10:15:30Z", "date|format=rfc_1123_date_time|timeZone=Europe/Paris", "UTC", ""},
        {"full", "str:2024-02-05T10:15:30Z", "date|format=full|timeZone=Europe/Paris", "UTC", ""},
        {"long", "str:2024-02-05T10:15:30Z", "date|format=long|timeZone=America/New_York", "UTC", ""},
        {"medium", "str:2024-02-05T10:15:30Z", "date|format=medium", "UTC", ""},
        {"short", "str:2024-02-05T10:15:30Z", "date|format=short", "UTC", ""},
        {"locale-fr", "str:2024-02-05T10:15:30Z", "date|format=EEEE d MMMM yyyy|locale=fr", "UTC", ""},
        {"locale-de-full", "str:2024-02-05T10:15:30Z", "date|format=full|locale=de_DE|timeZone=Europe/Berlin", "UTC", ""},
        {"locale-en-gb-medium", "str:2024-02-05T15:15:30Z", "date|format=medium|locale=en-GB", "UTC", ""},
        {"string-offset", "str:2024-02-05T10:15:30+01:00", "date|format=yyyy-MM-dd HH:mm", "UTC", ""},
        {"string-zone", "str:2024-02-05T10:15:30+01:00[Europe/Paris]", "date|format=VV HH:mm", "America/New_York", ""},
        {"string-local", "str:2024-02-05T10:15:30", "date|format=yyyy-MM-dd HH:mm XXX|timeZone=Europe/Paris", "UTC", ""},
        {"string-date-paris", "str:2024-02-05", "date|timeZone=Europe/Paris", "UTC", ""},
        {"string-date", "str:2024-02-05", "date|format=yyyy-MM-dd HH:mm", "UTC", ""},
        {"string-z", "str:2024-02-05T10:15:30Z", "date|format=dd/MM/yyyy", "UTC", ""},
        {"string-minutes", "str:2024-02-05T10:15+05:30", "date|format=HH:mm:ss", "Asia/Kolkata", ""},
        {"existing-month-name", "str:July 24, 2001", "date|format=yyyy-MM-dd|existingFormat=MMMM dd, yyyy", "UTC", ""},
        {"existing-paris", "str:24/07/2001 13:45", "date|format=iso|existingFormat=dd/MM/yyyy HH:mm|timeZone=Europe/Paris", "UTC", ""},
        {"existing-compact", "str:20240205101530", "date|format=yyyy-MM-dd HH:mm:ss|existingFormat=yyyyMMddHHmmss", "UTC", ""},
        {"existing-rfc", "str:Tue, 08 Feb 2022 19:38:26 GMT", "date|existingFormat=rfc_1123_date_time|timeZone=Europe/Paris", "UTC", ""},
        {"existing-sql_seq", "str:2024-02-05 10:15:30", "date|format=HH:mm|existingFormat=sql_seq", "Europe/Paris", ""},
        {"existing-dotted", "str:05.02.2024", "date|format=yyyy-MM-dd|existingFormat=dd.MM.yyyy", "UTC", ""},
        {"existing-offset", "str:2024-02-05 10:15:30 +0530", "date|format=iso|existingFormat=yyyy-MM-dd HH:mm:ss Z", "UTC", ""},
        {"existing-ampm", "str:2024-02-05 10:15 PM", "date|format=HH:mm|existingFormat=yyyy-MM-dd hh:mm a", "UTC", ""},
        {"existing-smart-clamp", "str:2023-02-30", "date|format=yyyy-MM-dd|existingFormat=yyyy-MM-dd", "UTC", ""},
        {"epoch", "long:1707128130", "date|format=yyyy-MM-dd HH:mm:ss", "UTC", ""},
        {"epoch-tokyo", "long:1707128130", "date|timeZone=Asia/Tokyo", "UTC", ""},
        {"epoch-zero", "long:0", "date|format=yyyy-MM-dd HH:mm", "UTC", ""},
        {"epoch-negative", "long:-86400", "date|format=yyyy-MM-dd EEEE", "UTC", ""},
        {"ny-before-spring", "str:2024-03-10T06:59:59Z", "date|format=HH:mm:ss z|timeZone=America/New_York", "UTC", ""},
        {"ny-after-spring", "str:2024-03-10T07:00:00Z", "date|format=HH:mm:ss z|timeZone=America/New_York", "UTC", ""},
        {"paris-before-spring", "str:2024-03-31T00:59:59Z", "date|format=HH:mm:ss zzzz|timeZone=Europe/Paris", "UTC", ""},
        {"paris-after-spring", "str:2024-03-31T01:00:00Z", "date|format=HH:mm:ss zzzz|timeZone=Europe/Paris", "UTC", ""},
        {"ny-overlap-edt", "str:2024-11-03T05:30:00Z", "date|format=HH:mm XXX z|timeZone=America/New_York", "UTC", ""},
        {"ny-overlap-est", "str:2024-11-03T06:30:00Z", "date|format=HH:mm XXX z|timeZone=America/New_York", "UTC", ""},
        {"ny-gap-local", "str:2024-03-10T02:30:00", "date|format=iso_zoned_date_time|timeZone=America/New_York", "UTC", ""},
        {"paris-overlap-local", "str:2024-10-27T02:30:00", "date|format=yyyy-MM-dd'T'HH:mm:ssXXX|timeZone=Europe/Paris", "UTC", ""},
        {"leap-day", "str:2024-02-29T12:00:00Z", "date|format=D EEEE yyyy-MM-dd", "UTC", ""},
        {"week-year-end", "str:2024-12-30T12:00:00Z", "date|format=YYYY-'W'ww e", "UTC", ""},
        {"year-boundary-paris", "str:2023-12-31T23:30:00Z", "date|format=yyyy-MM-dd HH:mm|timeZone=Europe/Paris", "UTC", ""},
        {"year-boundary-la", "str:2024-01-01T05:00:00Z", "date|format=yyyy-MM-dd HH:mm|timeZone=America/Los_Angeles", "UTC", ""},
        {"negative-offset", "str:2024-02-05T10:15:30-03:30", "date|format=XXX xx Z O|timeZone=America/St_Johns", "UTC", ""},
        {"fixed-offset-zone", "str:2024-02-05T10:15:30Z", "date|format=HH:mm XXX z|timeZone=-08:00", "UTC", ""},
        {"utc-plus-zone", "str:2024-02-05T10:15:30Z", "date|format=HH:mm z VV|timeZone=UTC+1", "UTC", ""},
        {"fractions", "str:2024-02-05T10:15:30.123456789Z", "date|format=ss.SSS n", "UTC", ""},
        {"quoted", "str:2024-02-05T10:15:30Z", "date|format=yyyy 'at' h 'o''clock'", "UTC", ""},
        {"optional", "str:2024-02-05T10:15:30Z", "date|format=yyyy[-MM]", "UTC", ""},
        {"add-day", "zdt:2024-02-05T02:00:00Z[UTC]", "dateAdd|amount=1|unit=DAYS", "UTC", ""},
        {"add-minus-day", "zdt:2024-02-05T02:00:00Z[UTC]", "dateAdd|amount=-1|unit=DAYS|format=yyyy-MM-dd", "UTC", ""},
        {"add-hours", "zdt:2024-02-05T02:00:00Z[UTC]", "dateAdd|amount=2|unit=HOURS|format=HH:mm", "UTC", ""},
        {"add-months-named", "zdt:2024-02-05T02:00:00Z[UTC]", "dateAdd|amount=3|unit=MONTHS|format=yyyy-MM-dd", "UTC", ""},
        {"add-month-end", "str:2024-01-31T10:00:00Z", "dateAdd|amount=1|unit=MONTHS|format=yyyy-MM-dd", "UTC", ""},
        {"add-leap-year", "str:2024-02-29T12:00:00Z", "dateAdd|amount=1|unit=YEARS|format=yyyy-MM-dd", "UTC", ""},
        {"add-dst-days", "zdt:2024-03-09T07:00-05:00[America/New_York]", "dateAdd|amount=1|unit=DAYS|format=iso_zoned_date_time|timeZone=America/New_York", "UTC", ""},
        {"add-dst-hours", "zdt:2024-03-09T07:00-05:00[America/New_York]", "dateAdd|amount=24|unit=HOURS|format=iso_zoned_date_time|timeZone=America/New_York", "UTC", ""},
        {"add-string-amount", "zdt:2024-02-05T02:00:00Z[UTC]", "dateAdd|amount=str:2|unit=WEEKS|format=yyyy-MM-dd", "UTC", ""},
        {"add-minutes", "str:2024-02-05T10:15:30Z", "dateAdd|amount=-90|unit=MINUTES|format=HH:mm:ss", "UTC", ""},
        {"add-millis", "str:2024-02-05T10:15:30Z", "dateAdd|amount=1500|unit=MILLIS|format=HH:mm:ss.SSS", "UTC", ""},
        {"add-half-days", "str:2024-02-05T10:15:30Z", "dateAdd|amount=3|unit=HALF_DAYS|format=yyyy-MM-dd HH:mm", "UTC", ""},
        {"add-decades", "str:2024-02-05T10:15:30Z", "dateAdd|amount=1|unit=DECADES|format=yyyy", "UTC", ""},
        {"add-existing", "str:05/02/2024", "dateAdd|amount=1|unit=DAYS|format=yyyy-MM-dd|existingFormat=dd/MM/yyyy", "UTC", ""},
        {"add-then-date-perth", "str:2013-09-08T16:19:00+02", "dateAdd|amount=1|unit=DAYS >> date|format=yyyy-MM-dd HH:mm:ss z|timeZone=Australia/Perth", "UTC", ""},
        {"timestamp", "zdt:2024-02-05T02:00:00Z[UTC]", "timestamp", "UTC", ""},
        {"timestamp-milli", "str:2024-02-05T10:15:30.123456789Z", "timestampMilli", "UTC", ""},
        {"timestamp-micro", "str:2024-02-05T10:15:30.123456789Z", "timestampMicro", "UTC", ""},
        {"timestamp-nano", "str:2024-02-05T10:15:30.123456789Z", "timestampNano", "UTC", ""},
        {"timestamp-epoch", "long:1707128130", "timestamp", "UTC", ""},
        {"timestamp-local-paris", "str:2024-02-05", "timestamp|timeZone=Europe/Paris", "UTC", ""},
        {"timestamp-existing", "str:05/02/2024", "timestamp|existingFormat=dd/MM/yyyy", "UTC", ""},
        {"timestamp-milli-zone", "str:2024-02-05T10:15:30", "timestampMilli|timeZone=Asia/Kolkata", "UTC", ""},
        {"now-utc", "now", "now", "UTC", "2024-02-05T10:15:30.123Z"},
        {"now-paris", "now", "now", "Europe/Paris", "2024-02-05T10:15:30.123Z"},
        {"now-ny", "now", "now|timeZone=America/New_York", "UTC", "2024-02-05T10:15:30.123Z"},
        {"now-format", "now", "now|format=yyyy-MM-dd", "UTC", "2024-02-05T10:15:30.123Z"},
        {"now-local-date", "now", "now|format=iso_local_date", "Asia/Tokyo", "2024-02-05T20:15:30.123Z"},
        {"now-locale", "now", "now|format=EEEE|locale=fr", "UTC", "2024-02-05T10:15:30.123Z"},
        {"now-date", "now", "now >> date|format=yyyy-MM-dd", "UTC", "2024-02-05T10:15:30.123Z"},
        {"now-date-tokyo", "now", "now >> date|format=yyyy-MM-dd HH:mm|timeZone=Asia/Tokyo", "UTC", "2024-02-05T20:15:30.123Z"},
        {"now-timestamp", "now", "now >> timestamp", "UTC", "2024-02-05T10:15:30.123Z"},
        {"now-add", "now", "now >> dateAdd|amount=1|unit=HOURS|format=HH:mm", "UTC", "2024-02-05T10:15:30.123Z"},
        {"now-minus-day", "now", "now >> dateAdd|amount=-1|unit=DAYS|format=yyyy-MM-dd", "Europe/Paris", "2024-03-01T00:30:00Z"},
        {"now-add-across-dst", "now", "now >> dateAdd|amount=1|unit=DAYS|format=iso", "Europe/Paris", "2024-03-30T11:00:00Z"},
        {"no-such-name", "str:2024-02-05T10:15:30Z", "date|format=iso_offset_date_time", "UTC", ""},
        {"instant-existing", "str:2024-02-05T10:15:30Z", "date|existingFormat=iso_instant", "UTC", ""},
    };

    static final StringBuilder out = new StringBuilder();
    static boolean first;
    static boolean anySection;

    static void section(String name) {
        if (anySection) out.append("\n  ],\n");
        anySection = true;
        out.append("  ").append(q(name)).append(": [\n");
        first = true;
    }

    static void row(Object... cells) {
        out.append(first ? "    [" : ",\n    [");
        first = false;
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) out.append(", ");
            Object c = cells[i];
            out.append(c instanceof Number ? c.toString() : q(String.valueOf(c)));
        }
        out.append("]");
    }

    interface Op { String run() throws Exception; }

    /** The result, or `!` and the exception's class and message. */
    static String attempt(Op op) {
        try {
            return op.run();
        } catch (Exception e) {
            return "!" + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    public static void main(String[] args) {
        Locale us = Locale.US;
        out.append("{\n");
        section("meta");
        row("java", System.getProperty("java.version"));
        section("instants");
        for (String s : INSTANTS) row(s);
        section("zones");
        for (String s : ZONES) row(s, ZoneId.of(s).getId());
        section("patterns");
        for (String s : PATTERNS) row(s);

        // [instant, zone, pattern, output]: DateTimeFormatter.ofPattern(p).withZone(zone), Locale.US
        section("format");
        for (int p = 0; p < PATTERNS.length; p++) {
            final String pattern = PATTERNS[p];
            String compiled = attempt(() -> { DateTimeFormatter.ofPattern(pattern); return ""; });
            if (compiled.startsWith("!")) { row(-1, -1, p, compiled); continue; }
            for (int[] pair : PAIRS) {
                ZoneId zone = ZoneId.of(ZONES[pair[1]]);
                ZonedDateTime date = Instant.parse(INSTANTS[pair[0]]).atZone(zone);
                row(pair[0], pair[1], p, attempt(() -> format(date, pattern, zone, us)));
            }
        }
        // [instant, zone, pattern, output] for the wide patterns on every instant and zone
        section("wide");
        for (String pattern : WIDE) {
            for (int i = 0; i < INSTANTS.length; i++) {
                for (int z = 0; z < ZONES.length; z++) {
                    ZoneId zone = ZoneId.of(ZONES[z]);
                    ZonedDateTime date = Instant.parse(INSTANTS[i]).atZone(zone);
                    row(i, z, pattern, attempt(() -> format(date, pattern, zone, us)));
                }
            }
        }
        // [instant, zone, name, output]: Kestra's named formats and styles
        section("named");
        for (String name : NAMED) {
            for (int[] pair : PAIRS) {
                ZoneId zone = ZoneId.of(ZONES[pair[1]]);
                ZonedDateTime date = Instant.parse(INSTANTS[pair[0]]).atZone(zone);
                row(pair[0], pair[1], name, attempt(() -> format(date, name, zone, us)));
            }
        }
        // [instant, zone, locale, pattern, output]
        section("locales");
        for (String tag : LOCALES) {
            Locale locale = Locale.forLanguageTag(tag);
            for (String pattern : LOCALE_PATTERNS) {
                for (int[] pair : new int[][] { {0, 2}, {1, 8}, {16, 0} }) {
                    ZoneId zone = ZoneId.of(ZONES[pair[1]]);
                    ZonedDateTime date = Instant.parse(INSTANTS[pair[0]]).atZone(zone);
                    row(pair[0], pair[1], tag, pattern, attempt(() -> format(date, pattern, zone, locale)));
                }
            }
        }
        // [instant, zone, ZonedDateTime.toString(), ISO_OFFSET_DATE_TIME (Jackson)]
        section("toString");
        for (int i = 0; i < INSTANTS.length; i++) {
            for (int z = 0; z < ZONES.length; z++) {
                ZonedDateTime date = Instant.parse(INSTANTS[i]).atZone(ZoneId.of(ZONES[z]));
                row(i, z, date.toString(), DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(date));
            }
        }
        // [text, existingFormat or "", zone, converted ZonedDateTime.toString() or error]: AbstractDate.convert
        section("parse");
        String[][] parses = {
            {"2024-02-05T10:15:30Z", "", "UTC"}, {"2024-02-05T10:15:30+01:00", "", "UTC"},
            {"2024-02-05T10:15:30.123456789+01:00[Europe/Paris]", "", "UTC"},
            {"2024-02-05T10:15:30+05:00[Europe/Paris]", "", "UTC"}, {"2024-02-05T10:15+01:00", "", "UTC"},
            {"2024-02-05T10:15:30+01", "", "UTC"}, {"2024-02-05T10:15:30+0100", "", "UTC"},
            {"2024-02-05T10:15:30.5Z", "", "UTC"}, {"2024-02-05t10:15:30z", "", "UTC"},
            {"2024-02-05T10:15:30", "", "Europe/Paris"}, {"2024-02-05T10:15", "", "Europe/Paris"},
            {"2024-02-05", "", "Europe/Paris"}, {"2024-02-05", "", "UTC"}, {"2024-02-05 10:15:30", "", "UTC"},
            {"2024-13-45", "", "UTC"}, {"2024-02-30", "", "UTC"}, {"2024-02-30T10:00:00", "", "UTC"},
            {"not a date", "", "UTC"}, {"", "", "UTC"}, {"2024-02-05T24:00:00", "", "UTC"},
            {"2024-02-05T10:15:30Z[UTC]", "", "Europe/Paris"}, {"2024-02-05T10:15:30[Europe/Paris]", "", "UTC"},
            {"+12024-02-05T10:15:30Z", "", "UTC"}, {"2024-2-5", "", "UTC"},
            {"2024-03-10T02:30:00", "", "America/New_York"}, {"2024-11-03T01:30:00", "", "America/New_York"},
            {"2024-03-31T02:30:00", "", "Europe/Paris"}, {"2024-10-27T02:30:00", "", "Europe/Paris"},
            {"2024-02-05T10:15:30.123456789123Z", "", "UTC"}, {"2024-02-05T10:15:30-03:30", "", "UTC"},
            {"2024-02-05T10:15:30+01:00:30", "", "UTC"}, {"2024-02-05T10:15:30.Z", "", "UTC"},
            {"2024-02-05T10:15:30,5Z", "", "UTC"}, {" 2024-02-05", "", "UTC"}, {"2024-02-05T10:15:30Z ", "", "UTC"},
            {"July 24, 2001", "MMMM dd, yyyy", "UTC"}, {"24/07/2001 13:45", "dd/MM/yyyy HH:mm", "Europe/Paris"},
            {"20240205101530", "yyyyMMddHHmmss", "UTC"}, {"2024-02-05 10:15:30", "yyyy-MM-dd HH:mm:ss", "America/New_York"},
            {"2024-02-05 10:15:30 +0100", "yyyy-MM-dd HH:mm:ss Z", "UTC"},
            {"2024-02-05 10:15:30 Europe/Paris", "yyyy-MM-dd HH:mm:ss VV", "UTC"},
            {"2024-02-05 10:15:30 CET", "yyyy-MM-dd HH:mm:ss z", "UTC"},
            {"2024-07-05 10:15:30 PDT", "yyyy-MM-dd HH:mm:ss z", "UTC"},
            {"2024-02-05 10:15:30 Pacific Standard Time", "yyyy-MM-dd HH:mm:ss zzzz", "UTC"},
            {"Tue, 08 Feb 2022 19:38:26 GMT", "rfc_1123_date_time", "Europe/Paris"},
            {"Tue, 8 Feb 2022 19:38:26 +0100", "rfc_1123_date_time", "UTC"},
            {"2024-02-05T10:15:30.123456+01:00", "iso", "UTC"}, {"2024-02-05T10:15:30+01:00", "iso_sec", "UTC"},
            {"2024-02-05 10:15:30.123456", "sql", "UTC"}, {"2024-02-05 10:15:30", "sql_seq", "Europe/Paris"},
            {"2024-02-05", "iso_date", "UTC"}, {"2024-02-05+01:00", "iso_date", "UTC"}, {"2024-02-05T10:15:30Z", "iso_instant", "UTC"},
            {"2024-036", "iso_ordinal_date", "UTC"}, {"2024-W06-1", "iso_week_date", "UTC"}, {"10:15:30", "iso_local_time", "UTC"},
            {"2024-02-05T10:15:30", "iso_local_date_time", "UTC"}, {"2024-02-05T10:15:30+01:00[Europe/Paris]", "iso_zoned_date_time", "UTC"},
            {"2024-02-05T10:15:30", "iso_date_time", "Asia/Tokyo"}, {"2024-02-05T10:15:30+01:00", "iso_date_time", "Asia/Tokyo"},
            {"2/5/24, 10:15 AM", "short", "UTC"}, {"Feb 5, 2024, 10:15:30 AM", "medium", "UTC"},
            {"05.02.2024", "dd.MM.yyyy", "Europe/Paris"}, {"2024-02-05 10:15 PM", "yyyy-MM-dd hh:mm a", "UTC"},
            {"2024-02-05 12:15 AM", "yyyy-MM-dd hh:mm a", "UTC"}, {"2024-02-05 10:15", "yyyy-MM-dd hh:mm", "UTC"},
            {"24-02-05", "yy-MM-dd", "UTC"}, {"99-02-05", "yy-MM-dd", "UTC"}, {"2024-02-30", "yyyy-MM-dd", "UTC"},
            {"2023-02-29", "yyyy-MM-dd", "UTC"}, {"2024-02-32", "yyyy-MM-dd", "UTC"}, {"2024-04-31", "uuuu-MM-dd", "UTC"},
            {"2024-2-5", "yyyy-M-d", "UTC"}, {"2024-02-05", "yyyy-MM-dd HH:mm", "UTC"},
            {"Monday 5 February 2024", "EEEE d MMMM yyyy", "UTC"}, {"monday 5 february 2024", "EEEE d MMMM yyyy", "UTC"},
            {"Tuesday 5 February 2024", "EEEE d MMMM yyyy", "UTC"}, {"2024-02-05T10:15:30", "yyyy-MM-dd'T'HH:mm:ss", "UTC"},
            {"1707128130", "yyyy", "UTC"}, {"2024", "yyyy", "UTC"}, {"2024-02", "yyyy-MM", "UTC"}, {"10:15", "HH:mm", "UTC"},
            {"2024-02-05 10:15:30.123", "yyyy-MM-dd HH:mm:ss.SSS", "UTC"}, {"2024-02-05 10:15:30.12", "yyyy-MM-dd HH:mm:ss.SSS", "UTC"},
            {"2024-02-05T10:15:30+01:00", "yyyy-MM-dd'T'HH:mm:ssXXX", "UTC"}, {"2024-02-05T10:15:30Z", "yyyy-MM-dd'T'HH:mm:ssXXX", "UTC"},
            {"2024-02-05T10:15:30Z", "yyyy-MM-dd'T'HH:mm:ssxxx", "UTC"}, {"2024-02-05T10:15:30+0100", "yyyy-MM-dd'T'HH:mm:ssZ", "UTC"},
            {"2024-02-05T10:15:30+01", "yyyy-MM-dd'T'HH:mm:ssX", "UTC"}, {"2024-02-05T10:15:30+0530", "yyyy-MM-dd'T'HH:mm:ssX", "UTC"},
            {"2024-02-05 10:15:30 GMT+01:00", "yyyy-MM-dd HH:mm:ss OOOO", "UTC"}, {"2024-02-05 10:15:30 GMT+1", "yyyy-MM-dd HH:mm:ss O", "UTC"},
            {"2024-02-05T10:15:30", "full", "UTC"}, {"Q1 2024", "QQQ yyyy", "UTC"}, {"2024-02-05 AD", "yyyy-MM-dd G", "UTC"},
            {"0044-03-15 BC", "yyyy-MM-dd G", "UTC"}, {"2024-036", "yyyy-DDD", "UTC"}, {"2024-02-05 24:00", "yyyy-MM-dd HH:mm", "UTC"},
            {"2024-02-05 24:00", "yyyy-MM-dd kk:mm", "UTC"}, {"2024-02-05 10", "yyyy-MM-dd HH", "UTC"},
            {"2024-02-05 10:15:30", "yyyy-MM-dd HH:mm:ss[.SSS]", "UTC"}, {"2024-02-05 10:15:30.250", "yyyy-MM-dd HH:mm:ss[.SSS]", "UTC"},
            {"2024-02-05", "yyyy-MM-dd[ HH:mm]", "UTC"}, {"2024-02-05T10:15:30.123", "yyyy-MM-dd'T'HH:mm:ss.n", "UTC"},
            {"05 Feb 2024", "dd MMM yyyy", "UTC"}, {"05 FEB 2024", "dd MMM yyyy", "UTC"}, {"2024-02-05 10:15:30", "yyyy-MM-dd", "UTC"},
            {"2024-02-05", "bad pattern b", "UTC"}, {"2024-02-05 Europe/Paris", "yyyy-MM-dd VV", "UTC"},
            {"2024-02-05T10:15:30 America/New_York", "yyyy-MM-dd'T'HH:mm:ss VV", "UTC"},
            {"20240205", "yyyyMMdd", "UTC"}, {"2024020510", "yyyyMMddHH", "UTC"}, {"1/2/2024", "M/d/yyyy", "UTC"},
            {"12/31/2024", "M/d/yyyy", "UTC"},
        };
        for (String[] c : parses) {
            ZoneId zone = ZoneId.of(c[2]);
            String fmt = c[1].isEmpty() ? null : c[1];
            row(c[0], c[1], c[2], attempt(() -> convert(c[0], zone, fmt).toString()));
        }
        // [instant, zone, amount, unit, result]: ZonedDateTime.plus(amount, ChronoUnit.valueOf(unit))
        section("plus");
        Object[][] adds = {
            {"2024-02-05T10:15:30.123456789Z", "Europe/Paris", 1L, "DAYS"}, {"2024-02-05T10:15:30Z", "UTC", -1L, "DAYS"},
            {"2024-02-29T12:00:00Z", "UTC", 1L, "YEARS"}, {"2024-02-29T12:00:00Z", "UTC", 4L, "YEARS"},
            {"2024-01-31T10:00:00Z", "UTC", 1L, "MONTHS"}, {"2023-01-31T10:00:00Z", "UTC", 1L, "MONTHS"},
            {"2024-03-31T10:00:00Z", "UTC", -1L, "MONTHS"}, {"2024-03-09T12:00:00Z", "America/New_York", 1L, "DAYS"},
            {"2024-03-09T12:00:00Z", "America/New_York", 24L, "HOURS"}, {"2024-10-26T12:00:00Z", "Europe/Paris", 1L, "DAYS"},
            {"2024-10-26T12:00:00Z", "Europe/Paris", 24L, "HOURS"}, {"2024-03-09T07:30:00Z", "America/New_York", 1L, "DAYS"},
            {"2024-11-02T05:30:00Z", "America/New_York", 1L, "DAYS"}, {"2024-11-04T06:30:00Z", "America/New_York", -1L, "DAYS"},
            {"2024-02-05T10:15:30Z", "UTC", 1500L, "NANOS"}, {"2024-02-05T10:15:30Z", "UTC", 1500L, "MICROS"},
            {"2024-02-05T10:15:30Z", "UTC", 1500L, "MILLIS"}, {"2024-02-05T10:15:30Z", "UTC", 90L, "SECONDS"},
            {"2024-02-05T10:15:30Z", "UTC", -90L, "MINUTES"}, {"2024-02-05T10:15:30Z", "Asia/Kolkata", 3L, "HALF_DAYS"},
            {"2024-02-05T10:15:30Z", "UTC", 2L, "WEEKS"}, {"2024-02-05T10:15:30Z", "UTC", 1L, "DECADES"},
            {"2024-02-05T10:15:30Z", "UTC", 1L, "CENTURIES"}, {"2024-02-05T10:15:30Z", "UTC", 1L, "MILLENNIA"},
            {"2024-02-05T10:15:30Z", "UTC", 1L, "ERAS"}, {"2024-02-05T10:15:30Z", "UTC", 1L, "FOREVER"},
            {"2024-02-05T10:15:30Z", "UTC", 1L, "days"}, {"2024-02-05T10:15:30Z", "UTC", 0L, "DAYS"},
            {"2024-12-31T23:00:00Z", "Europe/Paris", 1L, "HOURS"}, {"2024-02-05T10:15:30Z", "-08:00", 1L, "MONTHS"},
            {"2024-03-30T02:30:00Z", "Europe/Paris", 1L, "DAYS"}, {"2024-11-02T05:30:00Z", "America/New_York", 24L, "HOURS"},
        };
        for (Object[] c : adds) {
            ZonedDateTime date = Instant.parse((String) c[0]).atZone(ZoneId.of((String) c[1]));
            row((String) c[0], (String) c[1], (Long) c[2], (String) c[3],
                attempt(() -> date.plus((Long) c[2], ChronoUnit.valueOf((String) c[3])).toString()));
        }
        // [id, input, calls, render zone, now, result]: Kestra's filters and now() as its source does them
        section("kestra");
        for (String[] c : KESTRA_CASES) {
            row(c[0], c[1], c[2], c[3], c[4], attempt(() -> {
                ZoneId system = ZoneId.of(c[3]);
                Instant now = c[4].isEmpty() ? Instant.EPOCH : Instant.parse(c[4]);
                Object current = c[1].equals("now") ? null : value(c[1]);
                for (String call : c[2].split(" >> ")) {
                    String[] parts = call.split("\\|");
                    Map<String, Object> callArgs = new LinkedHashMap<>();
                    for (int i = 1; i < parts.length; i++) {
                        String key = parts[i].substring(0, parts[i].indexOf('='));
                        String text = parts[i].substring(parts[i].indexOf('=') + 1);
                        callArgs.put(key, key.equals("amount") && !text.startsWith("str:") ? (Object) Long.parseLong(text) : text.startsWith("str:") ? text.substring(4) : text);
                    }
                    current = kestraCall(parts[0], current, callArgs, system, now);
                }
                return String.valueOf(current);
            }));
        }
        // [id, ZoneId.of(id).getId() or error]
        section("zoneIds");
        String[] ids = {"UTC", "Z", "+1", "+01", "+0130", "+01:30", "-8", "+01:02:03", "+010203", "UTC+1", "GMT+01:00", "UT-5",
            "GMT0", "UTC+0", "GMT-00:00", "Etc/UTC", "GMT", "UT", "europe/paris", "US/Eastern", "EST", "CET", "Europe/Pariss",
            "", "+25:00", "+18:00", "-18:00", "+1:00", "UTC+25", "UTC+", "UTC1", "Asia/Calcutta", "Z ", "z", "utc", "GMT+1:30"};
        for (String id : ids) row(id, attempt(() -> ZoneId.of(id).getId()));
        out.append("\n  ]\n}\n");
        System.out.print(out);
    }

    static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20 || c > 0x7e) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }
}
