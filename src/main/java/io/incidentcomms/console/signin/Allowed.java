package io.incidentcomms.console.signin;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The least role a console route needs (on a method, or on a resource class for all its methods).
 * A console route without it needs a signed-in user of any role; {@link #anonymous()} opens it to
 * everyone (the sign-in page).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface Allowed {
    ConsoleRole value() default ConsoleRole.VIEWER;

    boolean anonymous() default false;
}
