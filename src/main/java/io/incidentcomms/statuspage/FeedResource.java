package io.incidentcomms.statuspage;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.rometools.rome.feed.synd.SyndContent;
import com.rometools.rome.feed.synd.SyndContentImpl;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndEntryImpl;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.feed.synd.SyndFeedImpl;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.SyndFeedOutput;

import io.incidentcomms.incident.IncidentViews.IncidentView;
import io.incidentcomms.incident.IncidentViews.UpdateView;
import io.incidentcomms.incident.LocalizedText;
import io.incidentcomms.message.MessageConfig;
import io.incidentcomms.platform.openapi.ApiDocument;
import io.incidentcomms.platform.web.PageLocales;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * Atom ({@code /feed.atom}) and RSS ({@code /feed.rss}) of the public incidents: an entry per
 * incident, its updates newest first as the entry's text, in the reader's language where ops wrote it.
 */
@Tag(name = ApiDocument.STATUS_PAGE)
@Path("/feed.{format: atom|rss}")
@PermitAll
public class FeedResource {

    private final PublicStatus publicStatus;
    private final MessageConfig messages;
    private final PageLocales locales;

    FeedResource(PublicStatus publicStatus, MessageConfig messages, PageLocales locales) {
        this.publicStatus = publicStatus;
        this.messages = messages;
        this.locales = locales;
    }

    @GET
    public Response feed(@PathParam("format") String format, @QueryParam("lang") String lang,
            @Context HttpHeaders headers) throws FeedException {
        boolean atom = format.equals("atom");
        String xml = write(atom ? "atom_1.0" : "rss_2.0", locales.choose(null, lang, headers.getAcceptableLanguages()));
        return Response.ok(xml, (atom ? "application/atom+xml" : "application/rss+xml") + ";charset=UTF-8").build();
    }

    private String write(String type, Locale locale) throws FeedException {
        PublicStatus.Snapshot snapshot = publicStatus.now();
        String tag = locale.toLanguageTag();
        SyndFeed feed = new SyndFeedImpl();
        feed.setFeedType(type);
        feed.setTitle(messages.brand() + " · " + StatusPage.messages(locale).pageTitle());
        feed.setLink(messages.publicBaseUrl() + "/");
        feed.setDescription(StatusPage.messages(locale).history());
        feed.setLanguage(tag);
        feed.setUri(messages.publicBaseUrl() + "/");
        feed.setPublishedDate(Date.from(snapshot.at()));
        List<SyndEntry> entries = new ArrayList<>();
        for (IncidentView incident : snapshot.incidents()) {
            entries.add(entry(incident, tag, locale));
        }
        feed.setEntries(entries);
        return new SyndFeedOutput().outputString(feed);
    }

    private SyndEntry entry(IncidentView incident, String tag, Locale locale) {
        StatusMessages words = StatusPage.messages(locale);
        SyndEntry entry = new SyndEntryImpl();
        String title = LocalizedText.in(incident.titles(), tag);
        entry.setTitle((title != null ? title : incident.title()) + " · " + IncidentPage.state(incident.state(), words));
        String link = messages.publicBaseUrl() + "/incidents/" + incident.key();
        entry.setLink(link);
        entry.setUri(link);
        entry.setPublishedDate(Date.from(incident.startedAt()));
        entry.setUpdatedDate(Date.from(incident.updatedAt() != null ? incident.updatedAt() : incident.startedAt()));
        StringBuilder text = new StringBuilder();
        List<UpdateView> newestFirst = new ArrayList<>(incident.timeline());
        java.util.Collections.reverse(newestFirst);
        for (UpdateView update : newestFirst) {
            String body = LocalizedText.in(update.explain(), tag);
            if (body == null) {
                body = LocalizedText.in(update.explain(), update.defaultLocale());
            }
            text.append(update.publishedAt()).append(" — ")
                    .append(IncidentPage.state(update.stateTo() != null ? update.stateTo() : update.stateFrom() != null
                            ? update.stateFrom() : incident.state(), words))
                    .append(": ").append(body == null ? "" : body).append("\n\n");
        }
        SyndContent content = new SyndContentImpl();
        content.setType("text/plain");
        content.setValue(text.toString().strip());
        entry.setDescription(content);
        return entry;
    }
}
