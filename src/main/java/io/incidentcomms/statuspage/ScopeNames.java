package io.incidentcomms.statuspage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.incidentcomms.incident.LocalizedText;
import io.incidentcomms.platform.web.PageLocales;
import io.incidentcomms.platform.web.PageMessages;
import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Names of scopes as customers read them, in their language: the catalog's display name, else a
 * readable form of the code ("Eu west (region)"), never the raw code; {@code region:*} is "All
 * regions" and {@code *} "Everything".
 */
@ApplicationScoped
public class ScopeNames {

    private final ComponentCatalog catalog;
    private final PageLocales locales;

    ScopeNames(ComponentCatalog catalog, PageLocales locales) {
        this.catalog = catalog;
        this.locales = locales;
    }

    /** Each scope or pattern with its name in {@code locale} (any tag: de-CH, es), in the given order. */
    public Map<String, String> names(List<String> scopes, Locale locale) {
        Locale page = locales.choose(locale.toLanguageTag(), null, null);
        PageMessages messages = MessageBundles.get(PageMessages.class, Localized.Literal.of(page.toLanguageTag()));
        Map<String, Map<String, String>> catalogNames = catalog.names(scopes);
        Map<String, String> names = new LinkedHashMap<>();
        for (String scope : scopes) {
            String name = LocalizedText.in(catalogNames.get(scope), locale.toLanguageTag());
            if (name == null) {
                name = LocalizedText.in(catalogNames.get(scope), page.toLanguageTag());
            }
            names.put(scope, name != null ? name : readable(scope, messages, page));
        }
        return names;
    }

    static String readable(String scope, PageMessages messages, Locale locale) {
        if ("*".equals(scope)) {
            return messages.everything();
        }
        int colon = scope.indexOf(':');
        if (colon < 0) {
            return scope;
        }
        String kind = scope.substring(0, colon);
        String value = scope.substring(colon + 1);
        if ("*".equals(value)) {
            return switch (kind) {
                case "component" -> messages.allComponents();
                case "region" -> messages.allRegions();
                case "location" -> messages.allLocations();
                case "account" -> messages.allAccounts();
                default -> kind;
            };
        }
        String words = value.replaceAll("[-_.]+", " ").strip();
        String readable = words.isEmpty() ? value : words.substring(0, 1).toUpperCase(locale) + words.substring(1);
        String kindName = switch (kind) {
            case "component" -> messages.kindComponent();
            case "region" -> messages.kindRegion();
            case "location" -> messages.kindLocation();
            case "account" -> messages.kindAccount();
            default -> kind;
        };
        return readable + " (" + kindName + ")";
    }
}
