package io.incidentcomms.incident;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The four parts of a customer message, as ops give them: explain (facts, per locale), acknowledge
 * (optional override of the template's wording), options (what customers can do), confirm (the
 * question). Every text is per locale. Shared by declarations and updates from every ingestion path.
 */
public final class MessageParts {

    /** SMS carrier keywords: an option code must never collide with them. */
    public static final Set<String> CARRIER_KEYWORDS = Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END",
            "QUIT", "START", "YES", "UNSTOP", "HELP", "INFO");

    private MessageParts() {
    }

    /** An option as ops give it; {@code label} and {@code detail} are a text or a locale → text object. */
    public record OptionInput(
            @NotBlank @Pattern(regexp = "[A-Za-z0-9]{1,12}", message = "must be 1-12 letters or digits") @NotCarrierKeyword String code,
            @NotNull LocalizedText label,
            LocalizedText detail,
            Boolean stillAffected) {

        public OptionInput(String code, String label) {
            this(code, LocalizedText.of(label), null, null);
        }
    }

    /** The parts common to declare and update requests (constraints sit on the records). */
    public interface Input {
        Map<String, String> explain();

        String defaultLocale();

        /** Shorter facts for SMS, per locale: used when the whole SMS would not fit. */
        Map<String, String> explainSms();

        LocalizedText acknowledge();

        /** Null keeps the incident's open options; an empty list withdraws them. */
        List<OptionInput> options();

        LocalizedText confirm();

        /** A goodwill gesture (resolutions and follow-ups): the offer's text, with a code each if the incident has a pool. */
        LocalizedText goodwill();

        Instant nextUpdateBy();

        Boolean notifyCustomers();
    }

    /** A BCP 47 language tag that Java understands, such as {@code en}, {@code de-CH}. */
    public static boolean validLocale(String tag) {
        if (tag == null || tag.isBlank()) {
            return false;
        }
        Locale locale = Locale.forLanguageTag(tag);
        return !locale.getLanguage().isEmpty() && locale.toLanguageTag().equalsIgnoreCase(tag);
    }

    @Documented
    @Constraint(validatedBy = NotCarrierKeyword.Validator.class)
    @Target({ ElementType.TYPE_USE, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD })
    @Retention(RetentionPolicy.RUNTIME)
    public @interface NotCarrierKeyword {
        String message() default "is an SMS carrier keyword (STOP, START, HELP, ...) and cannot be an option code";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};

        class Validator implements ConstraintValidator<NotCarrierKeyword, String> {
            @Override
            public boolean isValid(String value, ConstraintValidatorContext context) {
                return value == null || !CARRIER_KEYWORDS.contains(value.trim().toUpperCase(Locale.ROOT));
            }
        }
    }
}
