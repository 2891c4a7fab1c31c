package io.incidentcomms.support.openapi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;

/**
 * One operation of the service's OpenAPI document, with its references resolved: method, path
 * template, parameters, the request body's media type and schema (if any), and whether it is a
 * page (answers HTML).
 */
public record ApiOperation(String method, String path, List<Parameter> parameters, String mediaType,
        Schema<?> bodySchema, boolean bodyRequired, boolean page) {

    /** {@code GET /api/incidents/{key}}: how the role matrix and the test names refer to it. */
    public String name() {
        return method + " " + path;
    }

    /** Every operation in the document, in document order. */
    public static List<ApiOperation> all(String document) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        OpenAPI api = new OpenAPIV3Parser().readContents(document, null, options).getOpenAPI();
        if (api == null) {
            throw new IllegalStateException("The OpenAPI document could not be read");
        }
        List<ApiOperation> operations = new ArrayList<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap()
                .forEach((method, operation) -> operations.add(of(method, path, operation))));
        return operations;
    }

    private static ApiOperation of(PathItem.HttpMethod method, String path, Operation operation) {
        String mediaType = null;
        Schema<?> schema = null;
        boolean required = false;
        if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
            Map.Entry<String, MediaType> first = operation.getRequestBody().getContent().entrySet().iterator().next();
            mediaType = first.getKey();
            schema = first.getValue().getSchema();
            required = Boolean.TRUE.equals(operation.getRequestBody().getRequired());
        }
        boolean page = operation.getResponses() != null && operation.getResponses().values().stream()
                .anyMatch(r -> r.getContent() != null && r.getContent().containsKey("text/html"));
        return new ApiOperation(method.name(), path, operation.getParameters() == null ? List.of()
                : List.copyOf(operation.getParameters()), mediaType, schema, required, page);
    }
}
