package io.incidentcomms.platform.openapi;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Pages, CSV and JSON-lines bodies are text in the document: their Java return types (a Qute
 * template instance, a streaming output) say nothing a client could use, and pulled the template
 * engine's classes in as schemas. Schemas no operation refers to, directly or through another
 * schema, are dropped.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class DocumentFilter implements OASFilter {

    private static final Set<String> TEXT = Set.of("text/html", "text/csv", "text/plain", "application/x-ndjson");
    private static final String PREFIX = "#/components/schemas/";

    @Override
    public void filterOpenAPI(OpenAPI api) {
        if (api.getPaths() == null || api.getPaths().getPathItems() == null) {
            return;
        }
        api.getPaths().getPathItems().values().forEach(item -> item.getOperations().values().forEach(operation -> {
            if (operation.getResponses() != null && operation.getResponses().getAPIResponses() != null) {
                operation.getResponses().getAPIResponses().values().forEach(response -> asText(response.getContent()));
            }
        }));
        dropUnreferencedSchemas(api);
    }

    private static void asText(Content content) {
        if (content == null || content.getMediaTypes() == null) {
            return;
        }
        content.getMediaTypes().forEach((type, media) -> {
            if (TEXT.contains(type)) {
                media.setSchema(OASFactory.createSchema().addType(Schema.SchemaType.STRING));
            }
        });
    }

    private static void dropUnreferencedSchemas(OpenAPI api) {
        if (api.getComponents() == null || api.getComponents().getSchemas() == null) {
            return;
        }
        Map<String, Schema> schemas = api.getComponents().getSchemas();
        Deque<Schema> pending = new ArrayDeque<>();
        api.getPaths().getPathItems().values().forEach(item -> item.getOperations().values()
                .forEach(operation -> schemasOf(operation, pending)));
        Set<String> used = new HashSet<>();
        while (!pending.isEmpty()) {
            Schema schema = pending.pop();
            if (schema.getRef() != null && schema.getRef().startsWith(PREFIX)) {
                String name = schema.getRef().substring(PREFIX.length());
                if (used.add(name) && schemas.containsKey(name)) {
                    pending.push(schemas.get(name));
                }
            }
            inner(schema, pending);
        }
        Map<String, Schema> kept = new java.util.LinkedHashMap<>(schemas);
        kept.keySet().retainAll(used);
        api.getComponents().setSchemas(kept);
    }

    private static void schemasOf(Operation operation, Deque<Schema> into) {
        if (operation.getParameters() != null) {
            operation.getParameters().forEach(parameter -> {
                add(parameter.getSchema(), into);
                content(parameter.getContent(), into);
            });
        }
        if (operation.getRequestBody() != null) {
            content(operation.getRequestBody().getContent(), into);
        }
        if (operation.getResponses() != null && operation.getResponses().getAPIResponses() != null) {
            operation.getResponses().getAPIResponses().values().forEach(response -> content(response.getContent(), into));
        }
    }

    private static void content(Content content, Deque<Schema> into) {
        if (content != null && content.getMediaTypes() != null) {
            content.getMediaTypes().values().forEach(media -> add(media.getSchema(), into));
        }
    }

    private static void inner(Schema schema, Deque<Schema> into) {
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(s -> add(s, into));
        }
        add(schema.getItems(), into);
        add(schema.getAdditionalPropertiesSchema(), into);
        add(schema.getNot(), into);
        for (var list : java.util.Arrays.asList(schema.getAllOf(), schema.getAnyOf(), schema.getOneOf())) {
            if (list != null) {
                list.forEach(s -> add(s, into));
            }
        }
    }

    private static void add(Schema schema, Deque<Schema> into) {
        if (schema != null) {
            into.push(schema);
        }
    }
}
