package io.incidentcomms.audience;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

/**
 * The time zones a subscriber may have: those both Java and the database know. Java accepts ids
 * PostgreSQL's tzdata lacks ({@code SystemV/AST4}): depending on its build, PostgreSQL either
 * refuses such a zone, failing every statement that converts times in the subscriber's zone, or
 * reads it as a POSIX rule of its own, with summer time Java would not apply. The zones offered on pages
 * are the IANA ones named after a region and a city ({@code Europe/Berlin}), and UTC.
 */
@ApplicationScoped
public class TimeZones {

    private static final Pattern REGION_CITY = Pattern.compile(
            "(Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific)/[A-Za-z_]+(/[A-Za-z_]+)?");

    /** A zone as a list shows it: its id, and the id with spaces ("America/New York"). */
    public record Choice(String id, String label) {
    }

    private final EntityManager em;
    private volatile Set<String> known = Set.copyOf(ZoneId.getAvailableZoneIds());
    private volatile List<Choice> choices = List.of();

    TimeZones(EntityManager em) {
        this.em = em;
    }

    void load(@Observes StartupEvent start) {
        @SuppressWarnings("unchecked")
        List<String> database = QuarkusTransaction.requiringNew().call(
                () -> em.createNativeQuery("select name from pg_timezone_names").getResultList());
        Set<String> both = new HashSet<>(ZoneId.getAvailableZoneIds());
        both.retainAll(new HashSet<>(database));
        known = Set.copyOf(both);
        List<Choice> list = new ArrayList<>();
        list.add(new Choice("UTC", "UTC"));
        both.stream().filter(id -> REGION_CITY.matcher(id).matches()).sorted()
                .forEach(id -> list.add(new Choice(id, id.replace('_', ' '))));
        choices = List.copyOf(list);
    }

    /** Whether a subscriber may have this zone: Java and the database both know it. */
    public boolean known(String id) {
        return id != null && known.contains(id);
    }

    /** The list to pick from, with the subscriber's current zone in it even when it is an alias. */
    public List<Choice> choices(String current) {
        if (current == null || choices.stream().anyMatch(c -> c.id().equals(current))) {
            return choices;
        }
        List<Choice> list = new ArrayList<>(choices);
        list.add(0, new Choice(current, current.replace('_', ' ')));
        return list;
    }

    /** A zone picked on a page: one of the list, or the one the subscriber has. */
    public boolean selectable(String id, String current) {
        return id != null && (id.equals(current) || choices.stream().anyMatch(c -> c.id().equals(id)));
    }
}
