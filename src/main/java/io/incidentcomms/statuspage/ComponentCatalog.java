package io.incidentcomms.statuspage;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.incidentcomms.incident.MessageParts;
import io.incidentcomms.incident.Scopes;
import io.incidentcomms.platform.problem.ProblemException;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** The catalog of what customers can be told about: display names and descriptions per locale, and order. */
@ApplicationScoped
public class ComponentCatalog {

    /** One entry as the API shows and takes it. */
    public record Entry(String scope, Map<String, String> names, Map<String, String> descriptions, String group,
            int position, @com.fasterxml.jackson.annotation.JsonIgnore Instant createdAt,
            @com.fasterxml.jackson.annotation.JsonIgnore Instant updatedAt) {
    }

    private final Clock clock;
    private final ComponentStatuses statuses;
    private final jakarta.persistence.EntityManager em;

    ComponentCatalog(Clock clock, ComponentStatuses statuses, jakarta.persistence.EntityManager em) {
        this.clock = clock;
        this.statuses = statuses;
        this.em = em;
    }

    @Transactional
    public List<Entry> list() {
        return Component.<Component>listAll(Sort.by("position").and("scope")).stream().map(ComponentCatalog::entry).toList();
    }

    @Transactional
    public Entry get(String scope) {
        return entry(require(scope));
    }

    /** Creates or replaces the entry for a scope. */
    @Transactional
    public Entry put(String scope, Map<String, String> names, Map<String, String> descriptions, String group,
            Integer position) {
        String problem = Scopes.problemWith(scope);
        if (problem != null) {
            throw ProblemException.invalidField("scope", problem);
        }
        if (names == null || names.isEmpty()) {
            throw ProblemException.invalidField("names", "needs a display name in at least one locale");
        }
        requireTexts("names", names, 100);
        requireTexts("descriptions", descriptions == null ? Map.of() : descriptions, 500);
        Instant now = clock.instant();
        Component component = Component.findById(scope);
        if (component == null) {
            component = new Component();
            component.scope = scope;
            component.createdAt = now;
        }
        component.names = new LinkedHashMap<>(names);
        component.descriptions = descriptions == null ? new LinkedHashMap<>() : new LinkedHashMap<>(descriptions);
        component.groupKey = group == null || group.isBlank() ? null : group.strip();
        component.position = position == null ? 0 : position;
        component.updatedAt = now;
        component.persist();
        statuses.recompute(now);
        return entry(component);
    }

    @Transactional
    public void delete(String scope) {
        require(scope).delete();
        em.createNativeQuery("delete from component_status_change where scope = ?1").setParameter(1, scope).executeUpdate();
    }

    /** The display names (locale → name) of the given scopes that the catalog has. */
    @Transactional
    public Map<String, Map<String, String>> names(List<String> scopes) {
        Map<String, Map<String, String>> names = new LinkedHashMap<>();
        if (!scopes.isEmpty()) {
            Component.<Component>list("scope in ?1", scopes).forEach(c -> names.put(c.scope, Map.copyOf(c.names)));
        }
        return names;
    }

    private static Component require(String scope) {
        Component component = Component.findById(scope);
        if (component == null) {
            throw ProblemException.notFound("Component " + scope);
        }
        return component;
    }

    private static void requireTexts(String field, Map<String, String> texts, int max) {
        texts.forEach((locale, text) -> {
            if (!MessageParts.validLocale(locale)) {
                throw ProblemException.invalidField(field + "[" + locale + "]", "is not a BCP 47 language tag such as en or de-CH");
            }
            if (text == null || text.isBlank() || text.length() > max) {
                throw ProblemException.invalidField(field + "[" + locale + "]", "must be 1-" + max + " characters");
            }
        });
    }

    private static Entry entry(Component c) {
        return new Entry(c.scope, c.names, c.descriptions, c.groupKey, c.position, c.createdAt, c.updatedAt);
    }
}
