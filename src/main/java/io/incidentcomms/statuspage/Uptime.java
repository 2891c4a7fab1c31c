package io.incidentcomms.statuspage;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import io.incidentcomms.incident.ComponentStatus;

/**
 * Uptime from a component's status history, as Statuspage counts it: a minute of major outage is
 * a minute down, a minute of partial outage is 0.3 of one, degraded performance and maintenance
 * are not down. Uptime = (minutes − down minutes) ÷ minutes, over the days the component has
 * existed in the window, shown to two decimals and never rounded up (3 hours of major outage in
 * 90 days: 1 − 180 ÷ 129,600 = 99.86 %). A day's bar is the worst status of that day and its own uptime.
 */
public final class Uptime {

    static final BigDecimal PARTIAL_OUTAGE_WEIGHT = new BigDecimal("0.3");

    /** One day of the bar chart. {@code uptime} is null before the component existed. */
    public record Day(LocalDate date, ComponentStatus worst, BigDecimal uptime) {
    }

    public record Report(List<Day> days, BigDecimal uptime) {
    }

    private Uptime() {
    }

    /**
     * The last {@code dayCount} days up to {@code now} (days in {@code zone}), from the changes of
     * one component: the first the status it had at the window's start (or when it began), then
     * each later change, oldest first.
     */
    public static Report of(List<ComponentStatuses.Change> changes, Instant now, ZoneId zone, int dayCount) {
        LocalDate today = now.atZone(zone).toLocalDate();
        LocalDate first = today.minusDays(dayCount - 1L);
        List<Day> days = new ArrayList<>(dayCount);
        BigDecimal total = BigDecimal.ZERO;
        BigDecimal down = BigDecimal.ZERO;
        for (LocalDate date = first; !date.isAfter(today); date = date.plusDays(1)) {
            Instant start = date.atStartOfDay(zone).toInstant();
            Instant end = date.equals(today) ? now : date.plusDays(1).atStartOfDay(zone).toInstant();
            BigDecimal dayTotal = BigDecimal.ZERO;
            BigDecimal dayDown = BigDecimal.ZERO;
            ComponentStatus worst = null;
            for (int i = 0; i < changes.size(); i++) {
                Instant from = max(changes.get(i).since(), start);
                Instant to = min(i + 1 < changes.size() ? changes.get(i + 1).since() : now, end);
                if (!to.isAfter(from)) {
                    continue;
                }
                ComponentStatus status = changes.get(i).status();
                BigDecimal millis = BigDecimal.valueOf(Duration.between(from, to).toMillis());
                dayTotal = dayTotal.add(millis);
                dayDown = dayDown.add(millis.multiply(weight(status)));
                worst = worst == null ? status : worst.worse(status);
            }
            total = total.add(dayTotal);
            down = down.add(dayDown);
            days.add(new Day(date, worst, dayTotal.signum() == 0 ? null : percent(dayTotal, dayDown)));
        }
        return new Report(days, total.signum() == 0 ? null : percent(total, down));
    }

    static BigDecimal weight(ComponentStatus status) {
        return switch (status) {
            case MAJOR_OUTAGE -> BigDecimal.ONE;
            case PARTIAL_OUTAGE -> PARTIAL_OUTAGE_WEIGHT;
            default -> BigDecimal.ZERO;
        };
    }

    /** Exactly, then cut to two decimals: 99.9999 % shows as 99.99 %, never 100 %. */
    private static BigDecimal percent(BigDecimal total, BigDecimal down) {
        return total.subtract(down).multiply(BigDecimal.valueOf(100)).divide(total, 2, RoundingMode.FLOOR);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
