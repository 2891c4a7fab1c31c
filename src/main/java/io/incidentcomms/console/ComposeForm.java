package io.incidentcomms.console;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jboss.resteasy.reactive.server.core.multipart.FormData;

import io.incidentcomms.incident.DeclareIncident;
import io.incidentcomms.incident.IncidentKind;
import io.incidentcomms.incident.IncidentState;
import io.incidentcomms.incident.LocalizedText;
import io.incidentcomms.incident.MessageOption;
import io.incidentcomms.incident.MessageParts.OptionInput;
import io.incidentcomms.incident.PostUpdate;
import io.incidentcomms.incident.Severity;
import io.incidentcomms.platform.problem.ProblemException;

/**
 * The declare and update forms as typed: texts per locale ({@code title.de}, {@code explain.de},
 * {@code explainSms.de}), up to {@value #OPTION_ROWS} options ({@code option.1.code},
 * {@code option.1.label.de}), scopes ticked and typed, and the minutes to the next update. It
 * turns into the same commands the API takes, so the console can do nothing the API cannot.
 */
public final class ComposeForm {

    public static final int OPTION_ROWS = 3;

    /** The statuses a component may be set to with an update, as Statuspage names them. */
    public static final List<String> STATUSES = java.util.Arrays.stream(io.incidentcomms.incident.ComponentStatus.values())
            .map(io.incidentcomms.incident.ComponentStatus::wire).toList();

    private final Map<String, String> fields;
    private final List<String> scopes;

    private ComposeForm(Map<String, String> fields, List<String> scopes) {
        this.fields = fields;
        this.scopes = scopes;
    }

    public static ComposeForm empty() {
        return new ComposeForm(new LinkedHashMap<>(), List.of());
    }

    public static ComposeForm read(FormData form) {
        Map<String, String> fields = LocaleFields.fields(form);
        List<String> scopes = new ArrayList<>();
        if (form != null && form.get("scope") != null) {
            form.get("scope").forEach(v -> scopes.add(v.getValue().trim()));
        }
        fields.remove("scope");
        return new ComposeForm(fields, scopes);
    }

    /** The update form, filled with the incident's open options so that leaving them keeps them. */
    public static ComposeForm forUpdate(List<MessageOption> open) {
        Map<String, String> fields = new LinkedHashMap<>();
        int row = 1;
        for (MessageOption option : open) {
            if (row > OPTION_ROWS) {
                break;
            }
            String prefix = "option." + row;
            fields.put(prefix + ".code", option.code());
            option.label().forEach((locale, label) -> fields.put(prefix + ".label." + locale, label));
            row++;
        }
        fields.put("notify", "on");
        return new ComposeForm(fields, List.of());
    }

    public String value(String name) {
        String value = fields.get(name);
        return value == null ? "" : value;
    }

    public String title(String locale) {
        return value("title." + locale);
    }

    public String explain(String locale) {
        return value("explain." + locale);
    }

    public String explainSms(String locale) {
        return value("explainSms." + locale);
    }

    public String optionCode(int row) {
        return value("option." + row + ".code");
    }

    public String optionLabel(int row, String locale) {
        return value("option." + row + ".label." + locale);
    }

    /** The status chosen for a component ("" when it follows its incidents). */
    public String status(String scope) {
        return value("status." + scope);
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    public boolean selected(String name, String value) {
        return value.equals(fields.get(name));
    }

    public boolean checked(String name) {
        return fields.containsKey(name);
    }

    public DeclareIncident declaration(Instant now) {
        Map<String, String> titles = perLocale("title.");
        return new DeclareIncident(titles.isEmpty() ? null : new LocalizedText(titles),
                choice(IncidentKind.class, "kind"), choice(Severity.class, "severity"), allScopes(), null, owner(),
                instant("startsAt"), instant("endsAt"), perLocale("explain."), orNull(perLocale("explainSms.")),
                blankToNull(value("defaultLocale")), null, options(), null, null, nextUpdateBy(now), null, true,
                componentStatuses());
    }

    /** An update; its options are left as they are ({@code null}) when the form shows the open ones unchanged. */
    public PostUpdate update(Instant now, List<MessageOption> open) {
        List<OptionInput> options = options();
        boolean unchanged = sameOptions(options, open);
        return new PostUpdate(choice(IncidentState.class, "state"), choice(Severity.class, "severity"), null,
                orNull(perLocale("explain.")), orNull(perLocale("explainSms.")), blankToNull(value("defaultLocale")), null,
                unchanged ? null : options, null, null, nextUpdateBy(now), checked("notify"), true, null, null,
                componentStatuses());
    }

    /** A time typed in a {@code datetime-local} field, read as UTC (the form says so). */
    private Instant instant(String name) {
        String typed = value(name).trim();
        if (typed.isEmpty()) {
            return null;
        }
        try {
            return java.time.LocalDateTime.parse(typed).toInstant(java.time.ZoneOffset.UTC);
        } catch (java.time.format.DateTimeParseException e) {
            throw ProblemException.invalidField(name, "is not a date and time such as 2026-12-24T08:00");
        }
    }

    /** The statuses chosen for components ({@code status.<scope>}); a component left to follow its incidents is not named. */
    private Map<String, io.incidentcomms.incident.ComponentStatus> componentStatuses() {
        Map<String, io.incidentcomms.incident.ComponentStatus> statuses = new LinkedHashMap<>();
        fields.forEach((name, value) -> {
            if (name.startsWith("status.") && value != null && !value.isBlank()) {
                try {
                    statuses.put(name.substring("status.".length()), io.incidentcomms.incident.ComponentStatus.fromWire(value));
                } catch (IllegalArgumentException e) {
                    throw ProblemException.invalidField(name, "is not a component status");
                }
            }
        });
        return statuses.isEmpty() ? null : statuses;
    }

    private static boolean sameOptions(List<OptionInput> typed, List<MessageOption> open) {
        if (typed.size() != open.size()) {
            return false;
        }
        for (int i = 0; i < typed.size(); i++) {
            if (!typed.get(i).code().equals(open.get(i).code()) || !typed.get(i).label().texts().equals(open.get(i).label())) {
                return false;
            }
        }
        return true;
    }

    private List<String> allScopes() {
        Set<String> all = new LinkedHashSet<>(scopes);
        for (String typed : value("otherScopes").split("[,\\s]+")) {
            if (!typed.isBlank()) {
                all.add(typed.trim());
            }
        }
        return List.copyOf(all);
    }

    private DeclareIncident.Owner owner() {
        String name = value("owner.name").trim();
        String email = value("owner.email").trim();
        return name.isEmpty() && email.isEmpty() ? null : new DeclareIncident.Owner(name, blankToNull(email), null);
    }

    private List<OptionInput> options() {
        List<OptionInput> options = new ArrayList<>();
        for (int row = 1; row <= OPTION_ROWS; row++) {
            String code = optionCode(row).trim();
            Map<String, String> labels = perLocale("option." + row + ".label.");
            if (code.isEmpty() && labels.isEmpty()) {
                continue;
            }
            options.add(new OptionInput(code, new LocalizedText(labels), null, null));
        }
        return options;
    }

    private Instant nextUpdateBy(Instant now) {
        String minutes = value("nextUpdateMinutes").trim();
        if (minutes.isEmpty()) {
            return null;
        }
        try {
            int value = Integer.parseInt(minutes);
            if (value < 1 || value > 7 * 24 * 60) {
                throw ProblemException.invalidField("nextUpdateMinutes", "must be between 1 minute and 7 days");
            }
            return now.plus(value, ChronoUnit.MINUTES);
        } catch (NumberFormatException e) {
            throw ProblemException.invalidField("nextUpdateMinutes", "must be a whole number of minutes");
        }
    }

    /** The non-blank texts whose field names start with {@code prefix}, by the locale that ends the name. */
    private Map<String, String> perLocale(String prefix) {
        return LocaleFields.texts(fields, prefix);
    }

    private <E extends Enum<E>> E choice(Class<E> type, String name) {
        E chosen = ConsoleChoices.parse(type, value(name));
        if (chosen == null && !value(name).isBlank()) {
            throw ProblemException.invalidField(name, "is not one of the choices");
        }
        return chosen;
    }

    private static <K, V> Map<K, V> orNull(Map<K, V> map) {
        return map.isEmpty() ? null : map;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
