// Generates src/expr/dates/java-data.ts: the zone ids Java knows, their English names, and the
// localized date-time patterns of a few locales, so that Windhover prints what Java prints.
// Run from the repository root, with Java 17:
//   java scripts/java/JavaDateData.java > src/expr/dates/java-data.ts && npx prettier --write src/expr/dates/java-data.ts
import java.time.*;
import java.time.chrono.IsoChronology;
import java.time.format.*;
import java.time.temporal.WeekFields;
import java.util.*;

public class JavaDateData {
    public static void main(String[] args) {
        Locale en = Locale.US;
        DateTimeFormatter shortName = DateTimeFormatter.ofPattern("z", en);
        DateTimeFormatter longName = DateTimeFormatter.ofPattern("zzzz", en);
        DateTimeFormatter genericShort = DateTimeFormatter.ofPattern("v", en);
        DateTimeFormatter genericLong = DateTimeFormatter.ofPattern("vvvv", en);
        List<String> ids = new ArrayList<>(ZoneId.getAvailableZoneIds());
        Collections.sort(ids);
        List<String> tuples = new ArrayList<>();
        Map<String, Integer> tupleIndex = new HashMap<>();
        StringBuilder zones = new StringBuilder();
        Instant probe = Instant.parse("2024-01-15T12:00:00Z");
        for (String id : ids) {
            TimeZone tz = TimeZone.getTimeZone(id);
            ZonedDateTime at = probe.atZone(ZoneId.of(id));
            String[] names = {
                tz.getDisplayName(false, TimeZone.LONG, en),
                tz.getDisplayName(false, TimeZone.SHORT, en),
                tz.getDisplayName(true, TimeZone.LONG, en),
                tz.getDisplayName(true, TimeZone.SHORT, en),
                genericLong.format(at),
                genericShort.format(at),
            };
            // The formatter is the reference: check that TimeZone names agree with it where it can tell.
            boolean dst = ZoneId.of(id).getRules().isDaylightSavings(probe);
            String fz = shortName.format(at), fzz = longName.format(at);
            if (!fz.equals(names[dst ? 3 : 1]) || !fzz.equals(names[dst ? 2 : 0])) {
                System.err.println("mismatch " + id + ": " + fz + "/" + fzz + " vs " + String.join("|", names));
                if (dst) { names[3] = fz; names[2] = fzz; } else { names[1] = fz; names[0] = fzz; }
            }
            String tuple = String.join("|", names);
            Integer index = tupleIndex.get(tuple);
            if (index == null) {
                index = tuples.size();
                tuples.add(tuple);
                tupleIndex.put(tuple, index);
            }
            if (zones.length() > 0) zones.append(',');
            zones.append(id).append(':').append(index);
        }
        Locale[] locales = {
            Locale.US, Locale.ENGLISH, Locale.UK, new Locale("en", "CA"), new Locale("en", "AU"), new Locale("en", "IN"),
            Locale.FRENCH, Locale.FRANCE, Locale.GERMAN, Locale.GERMANY, new Locale("es"), new Locale("es", "ES"),
            Locale.ITALIAN, Locale.ITALY, new Locale("nl"), new Locale("nl", "NL"), new Locale("pt"), new Locale("pt", "BR"),
            Locale.JAPANESE, Locale.JAPAN, Locale.CHINESE, Locale.SIMPLIFIED_CHINESE,
        };
        StringBuilder styles = new StringBuilder();
        for (Locale locale : locales) {
            List<String> patterns = new ArrayList<>();
            for (FormatStyle style : new FormatStyle[] { FormatStyle.FULL, FormatStyle.LONG, FormatStyle.MEDIUM, FormatStyle.SHORT }) {
                patterns.add(DateTimeFormatterBuilder.getLocalizedDateTimePattern(style, style, IsoChronology.INSTANCE, locale));
            }
            WeekFields week = WeekFields.of(locale);
            styles.append("  '").append(locale.toLanguageTag()).append("': { week: [")
                .append(week.getFirstDayOfWeek().getValue()).append(", ").append(week.getMinimalDaysInFirstWeek())
                .append("], styles: [");
            for (int i = 0; i < patterns.size(); i++) styles.append(i > 0 ? ", " : "").append(quote(patterns.get(i)));
            styles.append("] },\n");
        }
        // Which zone Java's parser picks for each name ('z' reads short names, 'zzzz' long ones).
        String[] parsedNames = new String[2];
        for (int style = 0; style < 2; style++) {
            DateTimeFormatter parser = DateTimeFormatter.ofPattern(style == 0 ? "z" : "zzzz", en);
            TreeMap<String, String> found = new TreeMap<>();
            for (String tuple : tuples) {
                String[] names = tuple.split("\\|");
                for (int i = style == 0 ? 1 : 0; i < names.length; i += 2) {
                    String name = names[i];
                    if (found.containsKey(name)) continue;
                    try {
                        found.put(name, ZoneId.from(parser.parse(name)).getId());
                    } catch (DateTimeException e) {
                        // not a name the parser reads back (offset-like names such as GMT+04:00)
                    }
                }
            }
            StringBuilder list = new StringBuilder();
            for (Map.Entry<String, String> e : found.entrySet()) {
                if (list.length() > 0) list.append(',');
                list.append(e.getKey()).append(':').append(e.getValue());
            }
            parsedNames[style] = list.toString();
        }
        StringBuilder out = new StringBuilder();
        out.append("/* Generated by scripts/java/JavaDateData.java with Java ").append(System.getProperty("java.version"))
            .append(": do not edit by hand. */\n\n");
        out.append("/** Name sets `long standard|short standard|long daylight|short daylight|long generic|short generic`. */\n");
        out.append("export const ZONE_NAME_SETS: readonly string[] = [\n");
        for (String tuple : tuples) out.append("  ").append(quote(tuple)).append(",\n");
        out.append("];\n\n");
        out.append("/** Every zone id Java's `ZoneId.of` knows, as `id:name set`, comma separated. */\n");
        out.append("export const JAVA_ZONES = ").append(quote(zones.toString())).append(";\n\n");
        out.append("/** Short names ('z') as Java's parser reads them: `name:zone id`, comma separated. */\n");
        out.append("export const SHORT_NAME_ZONES = ").append(quote(parsedNames[0])).append(";\n\n");
        out.append("/** Long names ('zzzz') as Java's parser reads them: `name:zone id`, comma separated. */\n");
        out.append("export const LONG_NAME_ZONES = ").append(quote(parsedNames[1])).append(";\n\n");
        out.append("/** Per locale: week definition (first day 1 = Monday, minimal days) and FormatStyle FULL, LONG, MEDIUM, SHORT patterns. */\n");
        out.append("export const LOCALE_DATA: Readonly<Record<string, { week: readonly [number, number]; styles: readonly [string, string, string, string] }>> = {\n");
        out.append(styles);
        out.append("};\n");
        System.out.print(out);
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("'");
        for (char c : s.toCharArray()) {
            if (c == '\'' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20 || c > 0x7e) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('\'').toString();
    }
}
