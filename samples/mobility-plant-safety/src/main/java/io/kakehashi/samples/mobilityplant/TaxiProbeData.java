package io.kakehashi.samples.mobilityplant;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A taxi operator's probe data, generated: one CSV row per trip (trip id, the passenger's membership id, pick-up and
 * drop-off ward, hour, the hour's band, distance and fare). The same seed gives the same file, byte for byte.
 * Stateless and thread-safe.
 */
public final class TaxiProbeData {

    /** The CSV header; {@code passenger_id} names each record's data subject. */
    public static final String HEADER = "trip_id,passenger_id,pickup_ward,dropoff_ward,pickup_hour,hour_band,distance_km,fare_jpy";
    /** The column that names a record's data subject. */
    public static final String SUBJECT_COLUMN = "passenger_id";
    public static final List<String> WARDS = List.of("Chiyoda", "Chuo", "Minato", "Shinjuku", "Shibuya");

    private TaxiProbeData() {
    }

    /** The passenger ids {@code P-001} … {@code P-<passengers>}. */
    public static List<String> passengers(int passengers) {
        var ids = new ArrayList<String>();
        for (var i = 1; i <= passengers; i++) {
            ids.add(passenger(i));
        }
        return ids;
    }

    public static String passenger(int number) {
        return "P-%03d".formatted(number);
    }

    /** Writes {@code tripsPerPassenger} trips of each of {@code passengers} passengers to {@code file}; returns the row count. */
    public static int write(Path file, int passengers, int tripsPerPassenger, long seed) {
        var random = new Random(seed);
        var csv = new StringBuilder(HEADER).append('\n');
        var trip = 0;
        for (var p = 1; p <= passengers; p++) {
            for (var t = 0; t < tripsPerPassenger; t++) {
                // trips 0…19 give every (ward, band) pair once: each of the planner's coarse groups holds every passenger,
                // so it covers as many distinct passengers as consented, which is what ai.minAggregation counts here
                var pickup = WARDS.get((p + t) % WARDS.size());
                var dropoff = WARDS.get(random.nextInt(WARDS.size()));
                var band = t % 4;
                var hour = switch (band) {
                    case 0 -> 6 + random.nextInt(4);    // morning 06–09
                    case 1 -> 10 + random.nextInt(6);   // day 10–15
                    case 2 -> 16 + random.nextInt(5);   // evening 16–20
                    default -> (21 + random.nextInt(9)) % 24; // night 21–05
                };
                var distance = 1.0 + random.nextDouble() * (pickup.equals(dropoff) ? 3 : 12);
                var fare = 500 + (int) Math.round(distance * 400 / 10) * 10 + (band == 3 ? 300 : 0);
                csv.append(String.format(Locale.ROOT, "T%05d,%s,%s,%s,%d,%s,%.1f,%d%n", ++trip, passenger(p), pickup, dropoff, hour,
                        List.of("morning", "day", "evening", "night").get(band), distance, fare));
            }
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return trip;
    }
}
