package io.kakehashi.samples.mobilityplant;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A plant operator's corrosion inspection records of its piping, generated: one CSV row per inspection point (id,
 * unit, age, operating temperature, chloride in the process fluid, relative humidity outside, whether it is
 * insulated, measured wall loss) and the inspector's verdict, {@code repair} or {@code monitor}. The verdict follows
 * the mechanisms of corrosion under insulation (warm, wet, salty, insulated, old) with noise, so a model can learn it.
 * The same seed gives the same file. Stateless and thread-safe.
 */
public final class CorrosionInspectionData {

    public static final String HEADER = "inspection_id,unit,age_years,operating_temp_c,chloride_ppm,humidity_pct,insulated,wall_loss_pct,verdict";
    /** The numeric columns a maintenance model reads, in order. */
    public static final List<String> FEATURES = List.of("age_years", "operating_temp_c", "chloride_ppm", "humidity_pct", "insulated");
    public static final String LABEL = "verdict";

    private CorrosionInspectionData() {
    }

    /** Writes {@code rows} inspections of {@code site}'s units to {@code file}. */
    public static void write(Path file, String site, List<String> units, int rows, long seed) {
        var random = new Random(seed);
        var csv = new StringBuilder(HEADER).append('\n');
        for (var i = 1; i <= rows; i++) {
            var age = 2 + random.nextInt(40);
            var temperature = 20 + random.nextInt(160);
            var chloride = random.nextInt(500);
            var humidity = 50 + random.nextInt(45);
            var insulated = random.nextDouble() < 0.6 ? 1 : 0;
            // corrosion under insulation is worst between 50 and 150 °C
            var warm = temperature >= 50 && temperature <= 150 ? 1.0 : 0.0;
            var score = 0.06 * age + 0.004 * chloride + 0.03 * (humidity - 70) + 1.2 * insulated * warm - 2.4 + random.nextGaussian() * 0.6;
            var wallLoss = Math.max(0, 4 + 6 * score + random.nextGaussian() * 2);
            csv.append(String.format(Locale.ROOT, "%s-%05d,%s,%d,%d,%d,%d,%d,%.1f,%s%n", site, i, units.get(i % units.size()), age, temperature,
                    chloride, humidity, insulated, wallLoss, score > 0 ? "repair" : "monitor"));
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
