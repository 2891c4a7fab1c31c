package io.incidentcomms.statuspage;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/**
 * Something customers can be told about, by its scope ({@code component:checkout},
 * {@code region:eu-west}): its name and description per locale, and where it stands in the list.
 */
@Entity
public class Component extends PanacheEntityBase {

    @Id
    public String scope;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> names = new LinkedHashMap<>();

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> descriptions = new LinkedHashMap<>();

    public String groupKey;

    public int position;

    public Instant createdAt;
    public Instant updatedAt;
}
