package io.incidentcomms.console;

import java.util.List;

import io.incidentcomms.incident.LocalizedText;
import io.incidentcomms.statuspage.ComponentCatalog;
import jakarta.enterprise.context.ApplicationScoped;

/** The status page's components as the forms offer them: to tick as affected, or to set a status for. */
@ApplicationScoped
public class ScopeChoices {

    /** A component to tick or set a status for, by its scope and its English (else first) name. */
    public record Choice(String scope, String name, String group) {
    }

    private final ComponentCatalog catalog;

    ScopeChoices(ComponentCatalog catalog) {
        this.catalog = catalog;
    }

    public List<Choice> components() {
        return catalog.list().stream().map(e -> {
            String name = LocalizedText.in(e.names(), "en");
            return new Choice(e.scope(), name == null ? e.scope() : name, e.group());
        }).toList();
    }
}
