package io.incidentcomms.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.incidentcomms.platform.problem.Problem;
import io.incidentcomms.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

/** Checks a command built from a console form by the same constraints the API applies to its JSON. */
@ApplicationScoped
public class ConsoleCommands {

    private final Validator validator;

    ConsoleCommands(Validator validator) {
        this.validator = validator;
    }

    public <T> T valid(T command) {
        Set<ConstraintViolation<T>> violations = validator.validate(command);
        if (violations.isEmpty()) {
            return command;
        }
        List<Problem.FieldViolation> errors = new ArrayList<>();
        for (ConstraintViolation<T> violation : violations) {
            String path = violation.getPropertyPath().toString();
            String field = path.isEmpty() ? "" : path.split("[.\\[<]")[0];
            errors.add(new Problem.FieldViolation(field, violation.getMessage()));
        }
        throw new ProblemException(400, "validation-failed", "Bad Request", "The form is not complete", errors);
    }
}
