package io.incidentcomms.console.signin;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.ws.rs.NameBinding;

/**
 * Marks the console's resources, whose forms {@link ConsoleGuard} checks for the session's CSRF
 * token. The check reads the form before the resource does; bound to the console only, no other
 * request has its body read early (a webhook's or the API's body is read by its own code).
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
public @interface ConsoleForms {
}
