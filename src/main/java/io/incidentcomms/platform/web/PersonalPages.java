package io.incidentcomms.platform.web;

import java.util.List;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

/**
 * Pages for one person (their settings, their answer, their sign-up) carry a token or an address:
 * no cache, shared or not, keeps them, and no link on them tells another site where the visitor came from.
 */
public class PersonalPages {

    static final List<String> PATHS = List.of("/self-service", "/subscribe", "/m/");

    @ServerResponseFilter
    public void neverStored(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        if (PATHS.stream().anyMatch(path::startsWith)) {
            response.getHeaders().putSingle("Cache-Control", "no-store");
            response.getHeaders().putSingle("Referrer-Policy", "no-referrer");
        }
    }
}
