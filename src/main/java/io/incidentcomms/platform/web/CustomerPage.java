package io.incidentcomms.platform.web;

import java.util.List;
import java.util.Locale;

import io.incidentcomms.message.MessageConfig;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

/**
 * What the shared layout of customer pages needs for one request: the page's language, the brand
 * and its accent colour. A resource settles the language, then renders through {@link #render},
 * which also leaves the language for the error page, should one follow.
 */
@RequestScoped
@Named("customerPage")
public class CustomerPage {

    private final PageLocales locales;
    private final MessageConfig config;
    private final HttpServerRequest request;
    private Locale locale;
    private String token;

    CustomerPage(PageLocales locales, MessageConfig config, HttpServerRequest request) {
        this.locales = locales;
        this.config = config;
        this.request = request;
    }

    /** Uses the first supported of the known locale, the picked one and the browser's. */
    public Locale use(String known, String picked, jakarta.ws.rs.core.HttpHeaders headers) {
        this.locale = locales.choose(known, picked, headers == null ? null : headers.getAcceptableLanguages());
        return locale;
    }

    public TemplateInstance render(TemplateInstance page) {
        return page.setLocale(locale());
    }

    /** The language settled for this request, or null when no resource settled one. */
    Locale settled() {
        return locale;
    }

    /** The link token this request came with, for an error page that still offers to opt out. */
    public void token(String token) {
        this.token = token;
    }

    String token() {
        return token;
    }

    public Locale locale() {
        return locale != null ? locale : Locale.forLanguageTag(locales.supported().get(0));
    }

    public String lang() {
        return locale().toLanguageTag();
    }

    public String brand() {
        return config.brand();
    }

    public String accent() {
        return config.accentColor();
    }

    /** White or near-black, whichever reads better on the accent colour. */
    public String accentText() {
        return io.incidentcomms.message.MessageRenderer.textOn(config.accentColor());
    }

    public String logoUrl() {
        return config.logoUrl().orElse(null);
    }

    /** The languages to switch to, each a link to this page in it. */
    public List<PageLocales.Language> languages() {
        return locales.languages(locale());
    }

    /** This page's path with {@code lang} set to a language, for the language switch. */
    public String inLanguage(String tag) {
        String query = request.query() == null ? "" : request.query().replaceAll("(^|&)lang=[^&]*", "");
        query = query.replaceAll("^&", "");
        return request.path() + "?" + (query.isEmpty() ? "" : query + "&") + "lang=" + tag;
    }
}
