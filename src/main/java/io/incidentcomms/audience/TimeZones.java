package io.incidentcomms.audience;

import java.time.ZoneId;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The time zones a customer can pick: the IANA zones named after a region and a city
 * ({@code Europe/Berlin}), and UTC, sorted. Legacy and alias ids ({@code SystemV/...},
 * {@code EST}, {@code Etc/GMT+5}) are left out: they confuse people and not every database knows them.
 */
public final class TimeZones {

    private static final Pattern REGION_CITY = Pattern.compile(
            "(Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific)/[A-Za-z_]+(/[A-Za-z_]+)?");
    private static final List<String> SELECTABLE = java.util.stream.Stream.concat(java.util.stream.Stream.of("UTC"),
            ZoneId.getAvailableZoneIds().stream().filter(id -> REGION_CITY.matcher(id).matches()).sorted()).toList();

    private static final List<Choice> CHOICES = SELECTABLE.stream().map(id -> new Choice(id, id.replace('_', ' '))).toList();

    /** A zone as a list shows it: its id, and the id with spaces ("America/New York"). */
    public record Choice(String id, String label) {
    }

    private TimeZones() {
    }

    public static List<Choice> selectable() {
        return CHOICES;
    }

    /** The list to pick from, with the subscriber's current zone in it even when it is a legacy id. */
    public static List<Choice> selectable(String current) {
        if (current == null || SELECTABLE.contains(current)) {
            return CHOICES;
        }
        List<Choice> choices = new java.util.ArrayList<>(CHOICES);
        choices.add(0, new Choice(current, current.replace('_', ' ')));
        return choices;
    }

    public static boolean isSelectable(String id) {
        return id != null && (id.equals("UTC") || (REGION_CITY.matcher(id).matches() && ZoneId.getAvailableZoneIds().contains(id)));
    }
}
