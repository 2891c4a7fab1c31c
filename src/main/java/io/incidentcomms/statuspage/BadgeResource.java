package io.incidentcomms.statuspage;

import java.util.Locale;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.incidentcomms.incident.ComponentStatus;
import io.incidentcomms.platform.openapi.ApiDocument;
import io.incidentcomms.platform.web.PageLocales;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * {@code /badge.svg}: the overall status as a small badge for READMEs and dashboards, the status
 * in words beside its colour, and a title for screen readers.
 */
@Tag(name = ApiDocument.STATUS_PAGE)
@Path("/badge.svg")
@PermitAll
public class BadgeResource {

    private final PublicStatus publicStatus;
    private final PageLocales locales;

    BadgeResource(PublicStatus publicStatus, PageLocales locales) {
        this.publicStatus = publicStatus;
        this.locales = locales;
    }

    @GET
    @Produces("image/svg+xml")
    public String badge(@QueryParam("lang") String lang, @Context HttpHeaders headers) {
        Locale locale = locales.choose(null, lang, headers.getAcceptableLanguages());
        StatusMessages words = StatusPage.messages(locale);
        ComponentStatus overall = publicStatus.now().overall();
        String label = escape(words.pageTitle().toLowerCase(locale));
        String value = escape(StatusPage.banner(overall, words).text());
        String colour = switch (overall) {
            case OPERATIONAL -> "#166534";
            case DEGRADED_PERFORMANCE, UNDER_MAINTENANCE -> "#92400e";
            case PARTIAL_OUTAGE -> "#c2410c";
            case MAJOR_OUTAGE -> "#991b1b";
        };
        int left = 10 + 7 * label.length();
        int right = 10 + 7 * value.length();
        int width = left + right;
        return """
                <svg xmlns="http://www.w3.org/2000/svg" width="%1$d" height="20" role="img" aria-label="%2$s: %3$s">
                <title>%2$s: %3$s</title>
                <rect width="%4$d" height="20" fill="#374151"/><rect x="%4$d" width="%5$d" height="20" fill="%6$s"/>
                <g fill="#ffffff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">
                <text x="5" y="14">%2$s</text><text x="%7$d" y="14">%3$s</text>
                </g>
                </svg>
                """.formatted(width, label, value, left, right, colour, left + 5);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
