package io.incidentcomms.support;

import static io.restassured.RestAssured.given;

import java.util.ArrayList;
import java.util.List;

/** The service's Prometheus scrape ({@code /q/metrics}) as a test reads it. */
public final class Metrics {

    private Metrics() {
    }

    public static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of the series of {@code name} whose labels contain {@code labels} ("" for any); fails when there is none. */
    public static double value(String name, String labels) {
        for (String line : scrape().lines().toList()) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                String series = line.substring(0, line.lastIndexOf(' '));
                if (series.contains(labels)) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        throw new AssertionError("no series " + name + " with " + labels + " at /q/metrics");
    }

    /** The metric families the service exports (the names in its {@code # TYPE} lines, with their sample suffixes). */
    public static List<String> families() {
        List<String> names = new ArrayList<>();
        for (String line : scrape().lines().toList()) {
            if (!line.startsWith("#") && !line.isBlank()) {
                int end = line.indexOf('{') >= 0 ? line.indexOf('{') : line.indexOf(' ');
                String name = line.substring(0, end);
                if (!names.contains(name)) {
                    names.add(name);
                }
            }
        }
        return names;
    }
}
