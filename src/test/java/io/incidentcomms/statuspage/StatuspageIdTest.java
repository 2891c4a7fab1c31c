package io.incidentcomms.statuspage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * Ids in the Statuspage-shaped API are derived from what they name, so they must be defined for
 * every name: a scope or group whose hash starts with zeros still gets a 12-character id.
 */
class StatuspageIdTest {

    @Test
    void everyNameGetsATwelveCharacterIdThatStaysTheSame() {
        List<String> wrong = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int n = 0; n < 20_000; n++) {
            String scope = "component:c" + n;
            String id;
            try {
                id = StatuspageFormat.id(scope);
            } catch (RuntimeException e) {
                wrong.add(scope + " -> " + e);
                continue;
            }
            if (id.length() != 12 || !id.matches("[0-9a-z]+") || !id.equals(StatuspageFormat.id(scope))) {
                wrong.add(scope + " -> " + id);
            }
            ids.add(id);
        }
        assertEquals(List.of(), wrong.subList(0, Math.min(5, wrong.size())), wrong.size() + " names without a proper id");
        assertEquals(20_000, ids.size(), "distinct names get distinct ids");
    }

    @Test
    void aShortHashIsPaddedWithLeadingZerosAndALongOneKeepsTheIdItAlwaysHad() {
        assertEquals("0007etoblota", StatuspageFormat.id("component:c19292"));
        assertEquals("1tt31urikqby", StatuspageFormat.id("component:checkout"));
    }
}
