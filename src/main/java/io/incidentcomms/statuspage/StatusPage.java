package io.incidentcomms.statuspage;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.incidentcomms.incident.ComponentStatus;
import io.incidentcomms.incident.LocalizedText;
import io.incidentcomms.incident.IncidentViews.IncidentView;
import io.incidentcomms.incident.IncidentViews.UpdateView;
import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The status page as a visitor reads it, in their language and time zone: the overall banner,
 * the components by group with their status in words and an icon (never colour alone) and their
 * day bars and uptime, the incidents going on, and planned work to come or going on.
 */
@ApplicationScoped
public class StatusPage {

    /** A status as the page shows it: its key (for the style), its words and its icon. */
    public record Shown(String key, String text, String icon) {
    }

    /** One day's bar: its status (for the style) and what a screen reader and a tooltip say. */
    public record Day(String status, String label) {
    }

    public record ComponentRow(String name, String description, Shown status, String uptime, List<Day> days) {
    }

    public record Group(String name, List<ComponentRow> components) {
    }

    public record IncidentRow(String key, String title, String state, String latest, String at) {
    }

    public record MaintenanceRow(String key, String title, String state, String window) {
    }

    public record Home(Shown banner, List<Group> groups, List<IncidentRow> incidents, List<MaintenanceRow> maintenance,
            String firstDay, String lastDay, String zone) {
    }

    public record History(List<IncidentRow> incidents, int page, boolean newer, boolean older, String zone) {
    }

    private final PublicStatus publicStatus;
    private final StatusPageConfig config;

    StatusPage(PublicStatus publicStatus, StatusPageConfig config) {
        this.publicStatus = publicStatus;
        this.config = config;
    }

    public Home home(Locale locale, ZoneId zone) {
        PublicStatus.Snapshot snapshot = publicStatus.now();
        StatusMessages messages = messages(locale);
        String tag = locale.toLanguageTag();
        Map<String, List<ComponentRow>> groups = new LinkedHashMap<>();
        for (PublicStatus.ComponentState state : snapshot.components()) {
            groups.computeIfAbsent(state.group() == null ? messages.ungrouped() : state.group(), g -> new ArrayList<>())
                    .add(row(state, tag, locale, messages));
        }
        List<Group> shownGroups = groups.entrySet().stream().map(e -> new Group(e.getKey(), e.getValue())).toList();
        List<IncidentRow> incidents = snapshot.incidents().stream()
                .filter(i -> !i.kind().planned() && !i.state().closed()).map(i -> incidentRow(i, tag, locale, zone, messages))
                .toList();
        List<MaintenanceRow> maintenance = snapshot.incidents().stream()
                .filter(i -> i.kind().planned() && !i.state().closed())
                .map(i -> new MaintenanceRow(i.key(), title(i, tag), IncidentPage.state(i.state(), messages),
                        i.expectedEndAt() == null ? messages.from(time(i.startedAt(), locale, zone))
                                : messages.window(time(i.startedAt(), locale, zone), time(i.expectedEndAt(), locale, zone))))
                .toList();
        return new Home(banner(snapshot.overall(), messages), shownGroups, incidents, maintenance,
                messages.daysAgo(config.uptimeDays() - 1), messages.today(), zoneName(zone, locale));
    }

    public History history(Locale locale, ZoneId zone, io.incidentcomms.incident.IncidentViews.Page<IncidentView> page) {
        StatusMessages messages = messages(locale);
        String tag = locale.toLanguageTag();
        List<IncidentRow> rows = page.items().stream().map(i -> incidentRow(i, tag, locale, zone, messages)).toList();
        return new History(rows, page.page(), page.page() > 0, (long) (page.page() + 1) * page.size() < page.total(),
                zoneName(zone, locale));
    }

    private ComponentRow row(PublicStatus.ComponentState state, String tag, Locale locale, StatusMessages messages) {
        String name = LocalizedText.in(state.names(), tag);
        if (name == null) {
            name = state.names().values().stream().findFirst().orElse(state.scope());
        }
        List<Day> days = new ArrayList<>();
        DateTimeFormatter date = DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale);
        for (Uptime.Day day : state.uptime().days()) {
            String when = date.format(day.date());
            days.add(day.uptime() == null ? new Day("none", messages.dayWithoutData(when))
                    : new Day(key(day.worst()), messages.day(when, shown(day.worst(), messages).text(),
                            percent(day.uptime(), locale))));
        }
        BigDecimal uptime = state.uptime().uptime();
        return new ComponentRow(name, LocalizedText.in(state.descriptions(), tag), shown(state.status(), messages),
                uptime == null ? null : messages.uptime(percent(uptime, locale), config.uptimeDays()), days);
    }

    private IncidentRow incidentRow(IncidentView view, String tag, Locale locale, ZoneId zone, StatusMessages messages) {
        UpdateView latest = view.timeline().isEmpty() ? null : view.timeline().get(view.timeline().size() - 1);
        String text = latest == null ? null : LocalizedText.in(latest.explain(), tag);
        if (text == null && latest != null) {
            text = LocalizedText.in(latest.explain(), latest.defaultLocale());
        }
        return new IncidentRow(view.key(), title(view, tag), IncidentPage.state(view.state(), messages), text,
                latest == null ? time(view.startedAt(), locale, zone) : time(latest.publishedAt(), locale, zone));
    }

    static Shown shown(ComponentStatus status, StatusMessages messages) {
        return switch (status) {
            case OPERATIONAL -> new Shown("operational", messages.componentOperational(), "✓");
            case DEGRADED_PERFORMANCE -> new Shown("degraded", messages.componentDegraded(), "◐");
            case PARTIAL_OUTAGE -> new Shown("partial", messages.componentPartialOutage(), "▲");
            case MAJOR_OUTAGE -> new Shown("major", messages.componentMajorOutage(), "✕");
            case UNDER_MAINTENANCE -> new Shown("maintenance", messages.componentMaintenance(), "⚙");
        };
    }

    static Shown banner(ComponentStatus overall, StatusMessages messages) {
        Shown component = shown(overall, messages);
        String text = switch (overall) {
            case OPERATIONAL -> messages.bannerOperational();
            case DEGRADED_PERFORMANCE -> messages.bannerDegraded();
            case PARTIAL_OUTAGE -> messages.bannerPartialOutage();
            case MAJOR_OUTAGE -> messages.bannerMajorOutage();
            case UNDER_MAINTENANCE -> messages.bannerMaintenance();
        };
        return new Shown(component.key(), text, component.icon());
    }

    private static String key(ComponentStatus status) {
        return status == null ? "none" : shown(status, messages(Locale.ENGLISH)).key();
    }

    static String percent(BigDecimal value, Locale locale) {
        return String.format(locale, "%.2f", value);
    }

    private static String title(IncidentView view, String tag) {
        String title = LocalizedText.in(view.titles(), tag);
        return title != null ? title : view.title();
    }

    /** A moment as the public pages show it: the reader's date and time style, in the zone given. */
    public static String time(Instant instant, Locale locale, ZoneId zone) {
        return instant == null ? null
                : DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT).withLocale(locale)
                        .format(instant.atZone(zone));
    }

    static String zoneName(ZoneId zone, Locale locale) {
        return zone.getDisplayName(TextStyle.FULL, locale) + " (" + zone.getId() + ")";
    }

    static StatusMessages messages(Locale locale) {
        return MessageBundles.get(StatusMessages.class, Localized.Literal.of(locale.toLanguageTag()));
    }
}
