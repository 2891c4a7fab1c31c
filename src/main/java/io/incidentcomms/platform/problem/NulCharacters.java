package io.incidentcomms.platform.problem;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;

import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;

/**
 * PostgreSQL cannot store a NUL character in text or JSON: one that reached a statement used to
 * end in a 500. It is refused where input arrives instead, as a 400 that names where it was: in
 * the path or a query parameter, in any JSON string or object key. (Texts read another way, such
 * as {@code LocalizedText}, check for it themselves.)
 */
public class NulCharacters {

    static final char NUL = '\u0000';

    public static boolean contains(String text) {
        return text != null && text.indexOf(NUL) >= 0;
    }

    @ServerRequestFilter
    public void refuseInPathOrQuery(ContainerRequestContext request) {
        for (Map.Entry<String, List<String>> parameter : request.getUriInfo().getPathParameters().entrySet()) {
            if (parameter.getValue().stream().anyMatch(NulCharacters::contains)) {
                throw ProblemException.invalidField(parameter.getKey(), "must not contain a NUL character");
            }
        }
        for (Map.Entry<String, List<String>> parameter : request.getUriInfo().getQueryParameters().entrySet()) {
            if (contains(parameter.getKey()) || parameter.getValue().stream().anyMatch(NulCharacters::contains)) {
                throw ProblemException.invalidField(parameter.getKey().replace(NUL, '?'), "must not contain a NUL character");
            }
        }
    }

    /** Every JSON string and object key the API reads is checked as it is read. */
    @Singleton
    static class InJson implements ObjectMapperCustomizer {
        @Override
        public void customize(ObjectMapper mapper) {
            mapper.registerModule(module());
        }
    }

    /** The Jackson module that refuses NUL characters in strings and object keys. */
    public static SimpleModule module() {
        SimpleModule module = new SimpleModule("nul-characters");
        module.addDeserializer(String.class, new NoNulString());
        module.addKeyDeserializer(String.class, new NoNulKey());
        return module;
    }

    static final class NoNulString extends StringDeserializer {
        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String value = super.deserialize(parser, context);
            if (contains(value)) {
                throw InvalidFormatException.from(parser, "must not contain a NUL character", value.replace(NUL, '?'),
                        String.class);
            }
            return value;
        }
    }

    static final class NoNulKey extends KeyDeserializer {
        @Override
        public Object deserializeKey(String key, DeserializationContext context) throws IOException {
            if (contains(key)) {
                throw InvalidFormatException.from(context.getParser(), "must not contain a NUL character",
                        key.replace(NUL, '?'), String.class);
            }
            return key;
        }
    }
}
