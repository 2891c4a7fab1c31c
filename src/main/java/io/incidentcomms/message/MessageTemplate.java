package io.incidentcomms.message;

import java.util.HashMap;
import java.util.Map;

import io.incidentcomms.incident.MessageKind;
import io.quarkus.qute.Template;

/** One kind's message file and the locale's layouts, rendered section by section; problems name the file. */
final class MessageTemplate {

    private final String kindFile;
    private final String layoutFile;
    private final Template kind;
    private final Template layout;

    MessageTemplate(TemplateSet set, String locale, MessageKind kind) {
        this.kindFile = locale + "/" + kind.wire() + ".txt";
        this.layoutFile = locale + "/" + TemplateSet.LAYOUT_TEXT;
        this.kind = set.template(kindFile);
        this.layout = set.template(layoutFile);
    }

    MessageRenderer.Parts parts(Map<String, Object> data) {
        return new MessageRenderer.Parts(kindSection("explain", data), kindSection("acknowledge", data),
                kindSection("options", data), kindSection("confirm", data));
    }

    /** The SMS layout around the four parts, as one line. */
    String sms(Map<String, Object> data, MessageRenderer.Parts parts) {
        Map<String, Object> layoutData = new HashMap<>(data);
        layoutData.put("parts", asData(parts));
        return MessageRenderer.oneLine(layoutSection("sms", layoutData));
    }

    String kindSection(String id, Map<String, Object> data) {
        return section(kind, kindFile, id, data);
    }

    String layoutSection(String id, Map<String, Object> data) {
        return section(layout, layoutFile, id, data);
    }

    static Map<String, Object> asData(MessageRenderer.Parts parts) {
        return Map.of("explain", parts.explain(), "acknowledge", parts.acknowledge(), "options", parts.options(),
                "confirm", parts.confirm());
    }

    private static String section(Template template, String file, String id, Map<String, Object> data) {
        Template fragment = template.getFragment(id);
        if (fragment == null) {
            throw new TemplateSet.TemplateProblem(file, "missing section '" + id + "'");
        }
        try {
            return fragment.data(data).render().strip();
        } catch (RuntimeException e) {
            throw new TemplateSet.TemplateProblem(file, "section '" + id + "': " + e.getMessage());
        }
    }
}
