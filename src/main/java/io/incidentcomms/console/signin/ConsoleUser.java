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

/** Someone who signs in to the console: a name, a role, and a bcrypt hash of the password. */
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

    public Instant createdAt;

    public Instant passwordChangedAt;

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
