package io.incidentcomms.console;

import java.util.List;

import io.incidentcomms.incident.LocalizedText;
import io.incidentcomms.statuspage.ComponentCatalog;
import jakarta.enterprise.context.ApplicationScoped;

/** The status page's components as the forms offer them: to tick as affected, or to set a status for. */
@ApplicationScoped
public class ScopeChoices {

    private final ComponentCatalog catalog;

    ScopeChoices(ComponentCatalog catalog) {
        this.catalog = catalog;
    }

    public List<ComposeResource.ScopeChoice> components() {
        return catalog.list().stream().map(e -> {
            String name = LocalizedText.in(e.names(), "en");
            return new ComposeResource.ScopeChoice(e.scope(), name == null ? e.scope() : name, e.group());
        }).toList();
    }
}
