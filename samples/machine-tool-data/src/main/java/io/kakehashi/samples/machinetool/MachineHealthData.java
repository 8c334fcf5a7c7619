package io.kakehashi.samples.machinetool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Generates one holder's machine-health records, the data the AI vendor trains its failure model on without seeing
 * it: one row per machine-day with the readings a maintenance system keeps (mean coolant temperature, vibration
 * velocity, spindle hours since the last overhaul) and whether the machine failed within the next 24 hours (1 or 0, so an average is a failure rate). Failure
 * follows a logistic function of the readings, so a linear model can learn it (not perfectly); each holder's
 * climate shifts its temperatures. The same seed gives the same bytes. Stateless and thread-safe.
 */
public final class MachineHealthData {

    public static final String HEADER = "machine_id,plant,model,coolant_temp_c,vibration_mm_s,spindle_hours_k,failed_24h";
    /** The readings a model uses, in the column order of {@link #HEADER}. */
    public static final List<String> FEATURES = List.of("coolant_temp_c", "vibration_mm_s", "spindle_hours_k");
    public static final String LABEL = "failed_24h";
    public static final String POSITIVE = "1";
    /** The standardisation every holder is given: roughly the dataspace's means and spreads of the readings. */
    public static final double[] MEANS = {30, 3, 5};
    public static final double[] SCALES = {6, 1.5, 3};

    private static final String[] MODELS = {"VMC-850", "VMC-1100", "HMC-630", "5AX-500", "LATHE-250", "LATHE-400"};

    private MachineHealthData() {
    }

    /**
     * Writes {@code rows} machine-days of the plants {@code plants} to {@code file}, temperatures shifted by
     * {@code temperatureShift} degrees.
     */
    public static void write(Path file, List<String> plants, int rows, long seed, double temperatureShift) throws IOException {
        var random = new SplittableRandom(seed);
        try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(HEADER);
            out.write('\n');
            for (var row : rows(plants, rows, random, temperatureShift)) {
                out.write(row);
                out.write('\n');
            }
        }
    }

    /**
     * A labelled set drawn from the same distribution, standardised with {@link #MEANS} and {@link #SCALES}: the AI
     * vendor's own validation data, on which it compares the federated model with one trained centrally.
     */
    public static Labelled validationSet(int rows, long seed, double temperatureShift) {
        var random = new SplittableRandom(seed);
        var features = new double[rows][];
        var labels = new int[rows];
        for (var i = 0; i < rows; i++) {
            var reading = reading(random, temperatureShift);
            features[i] = new double[reading.length - 1];
            for (var f = 0; f < features[i].length; f++) {
                features[i][f] = (reading[f] - MEANS[f]) / SCALES[f];
            }
            labels[i] = (int) reading[reading.length - 1];
        }
        return new Labelled(features, labels);
    }

    /** The share of the sets' records that weights {@code [bias, w1, w2, w3]} classify right at a threshold of 0.5. */
    public static double accuracy(double[] weights, List<Labelled> sets) {
        var right = 0;
        var all = 0;
        for (var set : sets) {
            for (var i = 0; i < set.labels().length; i++) {
                var z = weights[0];
                for (var f = 0; f < set.features()[i].length; f++) {
                    z += weights[f + 1] * set.features()[i][f];
                }
                right += (z >= 0 ? 1 : 0) == set.labels()[i] ? 1 : 0;
                all++;
            }
        }
        return (double) right / all;
    }

    /** Reads a file {@link #write} wrote, standardised like {@link #validationSet}. */
    public static Labelled read(Path file) {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            var rows = lines.skip(1).filter(line -> !line.isBlank()).map(line -> line.split(",")).toList();
            var features = new double[rows.size()][FEATURES.size()];
            var labels = new int[rows.size()];
            for (var i = 0; i < rows.size(); i++) {
                for (var f = 0; f < FEATURES.size(); f++) {
                    features[i][f] = (Double.parseDouble(rows.get(i)[3 + f]) - MEANS[f]) / SCALES[f];
                }
                labels[i] = Integer.parseInt(rows.get(i)[6]);
            }
            return new Labelled(features, labels);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> rows(List<String> plants, int rows, SplittableRandom random, double temperatureShift) {
        var lines = new ArrayList<String>(rows);
        for (var i = 0; i < rows; i++) {
            var plant = plants.get(i % plants.size());
            var reading = reading(random, temperatureShift);
            lines.add(String.format(Locale.ROOT, "%s-M%03d,%s,%s,%.2f,%.3f,%.3f,%d", plant, (i / plants.size()) % 40, plant,
                    MODELS[random.nextInt(MODELS.length)], reading[0], reading[1], reading[2], (int) reading[3]));
        }
        return lines;
    }

    /** Coolant temperature, vibration, spindle hours (thousands) and the failure label (1 or 0). */
    private static double[] reading(SplittableRandom random, double temperatureShift) {
        var temperature = 30 + temperatureShift + gaussian(random) * 5;
        var vibration = Math.max(0.2, 3 + gaussian(random) * 1.5);
        var hours = random.nextDouble() * 10;
        var logit = 0.35 * (temperature - 32) + 1.4 * (vibration - 3.5) + 0.35 * (hours - 5);
        var failure = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
        return new double[] {temperature, vibration, hours, failure};
    }

    private static double gaussian(SplittableRandom random) {
        // Box–Muller: SplittableRandom has no nextGaussian on Java 17
        var u = 1 - random.nextDouble();
        var v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** Standardised readings and their labels. */
    public record Labelled(double[][] features, int[] labels) {
    }
}
