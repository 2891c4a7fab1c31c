package io.incidentcomms.statuspage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.incidentcomms.incident.ComponentStatus;
import io.incidentcomms.statuspage.ComponentStatuses.Change;

/** Uptime as the page documents it: major outage counts fully, partial outage 30 %, the rest not at all. */
class UptimeTest {

    static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    static final Instant LONG_AGO = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void threeHoursOfMajorOutageOnOneDayShowOnThatDayAndInTheNinetyDays() {
        List<Change> history = List.of(new Change(ComponentStatus.OPERATIONAL, LONG_AGO),
                new Change(ComponentStatus.MAJOR_OUTAGE, Instant.parse("2026-11-20T09:00:00Z")),
                new Change(ComponentStatus.OPERATIONAL, Instant.parse("2026-11-20T12:00:00Z")));

        Uptime.Report report = Uptime.of(history, NOW, ZoneOffset.UTC, 90);

        assertEquals(90, report.days().size());
        Uptime.Day outage = report.days().stream().filter(d -> d.date().equals(LocalDate.parse("2026-11-20"))).findFirst()
                .orElseThrow();
        assertEquals(ComponentStatus.MAJOR_OUTAGE, outage.worst());
        assertEquals(new BigDecimal("87.50"), outage.uptime(), "1 - 180 / 1440");
        // 89 days and 12 hours in the window: 1 - 180 / 128,880 = 99.8603…
        assertEquals(new BigDecimal("99.86"), report.uptime());
        assertEquals(new BigDecimal("100.00"), report.days().get(0).uptime());
    }

    @Test
    void partialOutageCountsThirtyPercentAndDegradedOrMaintenanceNotAtAll() {
        List<Change> history = List.of(new Change(ComponentStatus.OPERATIONAL, LONG_AGO),
                new Change(ComponentStatus.PARTIAL_OUTAGE, Instant.parse("2026-11-21T00:00:00Z")),
                new Change(ComponentStatus.DEGRADED_PERFORMANCE, Instant.parse("2026-11-21T03:00:00Z")),
                new Change(ComponentStatus.UNDER_MAINTENANCE, Instant.parse("2026-11-21T06:00:00Z")),
                new Change(ComponentStatus.OPERATIONAL, Instant.parse("2026-11-21T09:00:00Z")));

        Uptime.Day day = Uptime.of(history, NOW, ZoneOffset.UTC, 90).days().stream()
                .filter(d -> d.date().equals(LocalDate.parse("2026-11-21"))).findFirst().orElseThrow();

        assertEquals(ComponentStatus.PARTIAL_OUTAGE, day.worst());
        assertEquals(new BigDecimal("96.25"), day.uptime(), "1 - 0.3 × 180 / 1440");
    }

    @Test
    void daysBeforeTheComponentExistedHaveNoUptimeAndDoNotCount() {
        List<Change> history = List.of(new Change(ComponentStatus.OPERATIONAL, Instant.parse("2026-12-01T00:00:00Z")),
                new Change(ComponentStatus.MAJOR_OUTAGE, Instant.parse("2026-12-02T06:00:00Z")));

        Uptime.Report report = Uptime.of(history, NOW, ZoneOffset.UTC, 90);

        assertNull(report.days().get(0).uptime());
        assertEquals(new BigDecimal("83.33"), report.uptime(), "36 hours, 6 of them down: 30 / 36");
    }
}
