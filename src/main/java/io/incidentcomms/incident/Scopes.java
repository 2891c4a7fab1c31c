package io.incidentcomms.incident;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * Scopes name what an incident affects, as {@code kind:value} ({@code component:checkout},
 * {@code region:eu-west}, {@code location:store-042}, {@code account:ACME}). The one targeting idea:
 * subscribers subscribe to scopes, incidents affect scopes.
 */
public final class Scopes {

    public static final List<String> KINDS = List.of("component", "region", "location", "account");
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private Scopes() {
    }

    /** Why {@code scope} is not an exact scope, or null when it is one. */
    public static String problemWith(String scope) {
        if (scope == null || scope.isBlank()) {
            return "must not be blank";
        }
        int colon = scope.indexOf(':');
        if (colon < 0) {
            return "must be kind:value, e.g. component:checkout";
        }
        String kind = scope.substring(0, colon);
        if (!KINDS.contains(kind)) {
            return "unknown scope kind '" + kind + "': expected one of " + String.join(", ", KINDS);
        }
        if (!VALUE.matcher(scope.substring(colon + 1)).matches()) {
            return "scope value must be 1-100 letters, digits, '.', '_' or '-'";
        }
        return null;
    }

    /**
     * Whether an incident with these scopes is public: it touches something beyond single
     * accounts. An incident only about {@code account:} scopes concerns those customers alone.
     */
    public static boolean isPublic(List<String> scopes) {
        return scopes.stream().anyMatch(s -> !s.startsWith("account:"));
    }

    public static String scope(String kind, String value) {
        return kind + ":" + value;
    }

    /** Turns free text (a service name, a label value) into a valid scope value. */
    public static String slug(String text) {
        String slug = text.trim().replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[-._]+|[-._]+$", "");
        if (slug.length() > 100) {
            slug = slug.substring(0, 100);
        }
        return slug.isEmpty() ? "unknown" : slug.toLowerCase();
    }

    @Documented
    @Constraint(validatedBy = ValidScope.Validator.class)
    @Target({ ElementType.TYPE_USE, ElementType.FIELD, ElementType.PARAMETER })
    @Retention(RetentionPolicy.RUNTIME)
    public @interface ValidScope {
        String message() default "is not a valid scope";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};

        class Validator implements ConstraintValidator<ValidScope, String> {
            @Override
            public boolean isValid(String value, ConstraintValidatorContext context) {
                String problem = problemWith(value);
                if (problem == null) {
                    return true;
                }
                context.disableDefaultConstraintViolation();
                context.buildConstraintViolationWithTemplate(problem.replace("{", "\\{"))
                        .addConstraintViolation();
                return false;
            }
        }
    }
}
