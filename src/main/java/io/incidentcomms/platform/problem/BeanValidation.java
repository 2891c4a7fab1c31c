package io.incidentcomms.platform.problem;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;

/**
 * Validates objects that do not arrive as REST bodies (webhook payloads, bus messages) with the
 * same constraints, so their failures become the same field-level problem details.
 */
@ApplicationScoped
public class BeanValidation {

    private final Validator validator;

    public BeanValidation(Validator validator) {
        this.validator = validator;
    }

    public <T> T requireValid(T value) {
        Set<ConstraintViolation<T>> violations = validator.validate(value);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return value;
    }
}
