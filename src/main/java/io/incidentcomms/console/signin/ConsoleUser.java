package io.incidentcomms.console.signin;

import java.time.Instant;
import java.util.Optional;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Converter;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;

/**
 * Someone who signs in to the console: a name, a role, and either a bcrypt hash of the password or
 * single sign-on through the identity provider (then no password here).
 */
@Entity
public class ConsoleUser extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String username;

    public String passwordHash;

    @Convert(converter = RoleColumn.class)
    @Column(length = 10)
    public ConsoleRole role;

    /** {@value #PASSWORD} or {@value #SSO}. */
    public String signsInWith = PASSWORD;

    public Instant createdAt;

    public Instant passwordChangedAt;

    public static final String PASSWORD = "password";
    public static final String SSO = "sso";

    public boolean signsInThroughProvider() {
        return SSO.equals(signsInWith);
    }

    public static Optional<ConsoleUser> byUsername(String username) {
        return find("username", username).firstResultOptional();
    }

    @Converter
    public static class RoleColumn implements AttributeConverter<ConsoleRole, String> {
        @Override
        public String convertToDatabaseColumn(ConsoleRole role) {
            return role == null ? null : role.wire();
        }

        @Override
        public ConsoleRole convertToEntityAttribute(String value) {
            return value == null ? null : ConsoleRole.fromWire(value);
        }
    }
}
