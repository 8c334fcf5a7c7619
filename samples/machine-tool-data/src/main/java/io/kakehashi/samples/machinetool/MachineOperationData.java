package io.kakehashi.samples.machinetool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Generates the machine-tool maker's operation data: one CSV row per machine every ten seconds, as a controller
 * gateway would log them (spindle speed and load, feed, vibration, coolant temperature, power, state and alarm).
 * The same seed gives the same bytes. Stateless and thread-safe.
 */
public final class MachineOperationData {

    public static final String HEADER = "timestamp,machine_id,model,program,spindle_speed_rpm,feed_rate_mm_min,"
            + "spindle_load_pct,vibration_mm_s,coolant_temp_c,power_kw,state,alarm_code";

    private static final String[] MACHINES = {
        "NGY-VMC-01", "NGY-VMC-02", "NGY-HMC-01", "NGY-LTH-01", "OSK-VMC-01", "OSK-5AX-01", "OSK-LTH-01", "OSK-LTH-02"
    };
    private static final String[] MODELS = {
        "VMC-850", "VMC-850", "HMC-630", "LATHE-250", "VMC-1100", "5AX-500", "LATHE-250", "LATHE-400"
    };
    private static final OffsetDateTime START = OffsetDateTime.of(2026, 11, 2, 8, 0, 0, 0, ZoneOffset.ofHours(9));

    private MachineOperationData() {
    }

    /**
     * Writes {@code rows} data rows (plus the header) to {@code file}.
     */
    public static void write(Path file, int rows, long seed) throws IOException {
        var random = new SplittableRandom(seed);
        try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(HEADER);
            out.write('\n');
            for (int i = 0; i < rows; i++) {
                var machine = i % MACHINES.length;
                var time = START.plusSeconds(10L * (i / MACHINES.length));
                var state = pickState(random);
                var running = "RUNNING".equals(state);
                var rpm = running ? 2000 + random.nextInt(10000) : 0;
                var feed = running ? 200 + random.nextInt(4800) : 0;
                var load = running ? 15 + random.nextDouble() * 70 : random.nextDouble() * 2;
                var vibration = running ? 0.4 + random.nextDouble() * (load > 75 ? 6.0 : 2.2) : random.nextDouble() * 0.2;
                var coolant = 18 + random.nextDouble() * (running ? 14 : 4);
                var power = running ? 2 + load * 0.18 + random.nextDouble() : 0.3 + random.nextDouble() * 0.2;
                var alarm = "ALARM".equals(state) ? "AL" + (1000 + random.nextInt(40)) : "";
                out.write(String.format(Locale.ROOT, "%s,%s,%s,O%04d,%d,%d,%.1f,%.2f,%.1f,%.2f,%s,%s%n",
                        time, MACHINES[machine], MODELS[machine], 1000 + random.nextInt(200), rpm, feed,
                        load, vibration, coolant, power, state, alarm));
            }
        }
    }

    private static String pickState(SplittableRandom random) {
        var p = random.nextInt(1000);
        if (p < 780) {
            return "RUNNING";
        }
        return p < 990 ? "IDLE" : "ALARM";
    }
}
