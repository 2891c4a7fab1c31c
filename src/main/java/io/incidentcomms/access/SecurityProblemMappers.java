package io.incidentcomms.access;

import java.util.List;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.incidentcomms.platform.problem.Problem;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

public class SecurityProblemMappers {

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        return unauthorized(uri, "The API key is unknown or revoked");
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return unauthorized(uri, "An API key is required: send it as 'Authorization: Bearer <key>'");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return Response.status(403).type(Problem.MEDIA_TYPE)
                .entity(new Problem(Problem.type("forbidden"), "Forbidden", 403,
                        "This API key's role does not allow this action", "/" + uri.getPath().replaceFirst("^/", ""),
                        List.of()))
                .build();
    }

    private static Response unauthorized(UriInfo uri, String detail) {
        return Response.status(401).type(Problem.MEDIA_TYPE).header("WWW-Authenticate", "Bearer")
                .entity(new Problem(Problem.type("unauthorized"), "Unauthorized", 401, detail,
                        "/" + uri.getPath().replaceFirst("^/", ""), List.of()))
                .build();
    }
}
