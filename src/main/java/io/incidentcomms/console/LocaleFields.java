package io.incidentcomms.console;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jboss.resteasy.reactive.server.core.multipart.FormData;

/** Form fields named {@code <prefix><locale>} ({@code title.de}, {@code name.fr}) read as locale → text. */
final class LocaleFields {

    private LocaleFields() {
    }

    /** The form's single-valued fields by name. */
    static Map<String, String> fields(FormData form) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (form != null) {
            for (String name : form) {
                if (form.getFirst(name) != null && !form.getFirst(name).isFileItem()) {
                    fields.put(name, form.getFirst(name).getValue());
                }
            }
        }
        return fields;
    }

    /** The non-blank texts whose names are the prefix and a locale, stripped, by locale. */
    static Map<String, String> texts(Map<String, String> fields, String prefix) {
        Map<String, String> texts = new LinkedHashMap<>();
        fields.forEach((name, text) -> {
            if (name.startsWith(prefix) && !name.substring(prefix.length()).contains(".") && text != null && !text.isBlank()) {
                texts.put(name.substring(prefix.length()), text.strip());
            }
        });
        return texts;
    }
}
