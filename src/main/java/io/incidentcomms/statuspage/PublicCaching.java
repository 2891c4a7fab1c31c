package io.incidentcomms.statuspage;

import java.util.List;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.incidentcomms.platform.web.PageLocales;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * What lets a status page stand an outage's crowd: every public response of the status page
 * (the page, its history and incident pages, the feeds, the badge, the Statuspage-style API) is
 * cacheable for a few seconds by browsers and CDNs, and carries an ETag made from the public
 * state's version (and the page's language), so a revalidation is answered 304 before anything
 * is rendered. The Statuspage-style API is open to any origin.
 */
public class PublicCaching {

    /** Paths whose answers are the same for everyone (given the language). */
    static final List<String> PUBLIC = List.of("/api/v2/", "/incidents/", "/history", "/feed.", "/badge.svg");

    private final PublicStatus publicStatus;
    private final PageLocales locales;
    private final StatusPageConfig config;

    PublicCaching(PublicStatus publicStatus, PageLocales locales, StatusPageConfig config) {
        this.publicStatus = publicStatus;
        this.locales = locales;
        this.config = config;
    }

    /** After matching, so that it runs on the worker thread of the (blocking) endpoint: it reads the database. */
    @ServerRequestFilter
    public Response notModified(ContainerRequestContext request) {
        if (!cacheable(request)) {
            return null;
        }
        String etag = etag(request);
        String given = request.getHeaderString(HttpHeaders.IF_NONE_MATCH);
        if (given != null && (given.equals(etag) || given.equals("*") || List.of(given.split("\\s*,\\s*")).contains(etag))) {
            return headers(Response.notModified(), request, etag).build();
        }
        return null;
    }

    @ServerResponseFilter
    public void cacheable(ContainerRequestContext request, ContainerResponseContext response) {
        if (!cacheable(request) || response.getStatus() != 200) {
            return;
        }
        String etag = etag(request);
        response.getHeaders().putSingle(HttpHeaders.ETAG, etag);
        response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, cacheControl());
        response.getHeaders().putSingle(HttpHeaders.VARY, "Accept-Language");
        if (request.getUriInfo().getPath().startsWith("/api/v2/")) {
            response.getHeaders().putSingle("Access-Control-Allow-Origin", "*");
        }
    }

    private Response.ResponseBuilder headers(Response.ResponseBuilder builder, ContainerRequestContext request, String etag) {
        builder.header(HttpHeaders.ETAG, etag).header(HttpHeaders.CACHE_CONTROL, cacheControl())
                .header(HttpHeaders.VARY, "Accept-Language");
        if (request.getUriInfo().getPath().startsWith("/api/v2/")) {
            builder.header("Access-Control-Allow-Origin", "*");
        }
        return builder;
    }

    private String cacheControl() {
        return "public, max-age=" + Math.max(1, config.cacheTtl().toSeconds()) + ", stale-while-revalidate=30";
    }

    /** The public state's version and the language the answer is in (and, for the history, its page). */
    private String etag(ContainerRequestContext request) {
        String lang = locales.choose(null, request.getUriInfo().getQueryParameters().getFirst("lang"),
                request.getAcceptableLanguages()).toLanguageTag();
        String query = request.getUriInfo().getRequestUri().getRawQuery();
        String variant = request.getUriInfo().getPath() + (query == null ? "" : "?" + query);
        return "W/\"" + publicStatus.now().version() + "-" + lang + "-"
                + io.incidentcomms.platform.Hashes.sha256Hex(variant).substring(0, 8) + "\"";
    }

    private static boolean cacheable(ContainerRequestContext request) {
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            return false;
        }
        if (request.getHeaderString(HttpHeaders.AUTHORIZATION) != null || request.getHeaderString("X-API-Key") != null) {
            return false;
        }
        String path = request.getUriInfo().getPath();
        return path.equals("/") || PUBLIC.stream().anyMatch(path::startsWith);
    }
}
