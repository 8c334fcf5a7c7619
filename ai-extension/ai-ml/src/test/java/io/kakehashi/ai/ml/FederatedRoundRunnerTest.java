package io.kakehashi.ai.ml;

import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobOutput;
import io.kakehashi.ai.spi.JobType;
import io.kakehashi.ai.spi.ModelWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;

import static io.kakehashi.ai.ml.MlTestFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

class FederatedRoundRunnerTest {

    private static final Map<String, String> ROUND = Map.of("features", "temperature,vibration,spindle_hours", "label", "failure",
            "positive", "yes", "means", "50,0,5", "scales", "10,2,3");

    @TempDir
    Path dir;
    private final FederatedRoundRunner runner = new FederatedRoundRunner(() -> new Random(3));

    private JobDescription round(Map<String, String> parameters, double[] weights) {
        return new JobDescription(JobType.FL_ROUND, parameters, ModelWeights.encode(weights));
    }

    @Test
    void run_shouldReturnOnlyNewWeightsAndTheRowCount() throws Exception {
        var asset = MlTestFixtures.machineCsv(dir.resolve("holder.csv"), 500, 1, 0);

        var update = (JobOutput.ModelUpdate) runner.run(run(asset, round(ROUND, new double[4]), OptionalLong.empty(), false)).getContent();

        assertThat(update.sampleCount()).isEqualTo(500);
        assertThat(update.weights()).hasSize(4).isNotEqualTo(new double[4]);
    }

    @Test
    void run_withEpsilon_shouldReturnANoisedUpdate() throws Exception {
        var asset = MlTestFixtures.machineCsv(dir.resolve("holder.csv"), 500, 1, 0);
        var parameters = new HashMap<>(ROUND);
        var plain = ((JobOutput.ModelUpdate) runner.run(run(asset, round(parameters, new double[4]), OptionalLong.empty(), false)).getContent()).weights();
        parameters.put("epsilon", "0.5");

        var noised = ((JobOutput.ModelUpdate) runner.run(run(asset, round(parameters, new double[4]), OptionalLong.empty(), false)).getContent()).weights();

        assertThat(noised).isNotEqualTo(plain);
    }

    @Test
    void run_underAGuardLargerThanTheHoldersRows_shouldBeRefused() throws Exception {
        var asset = MlTestFixtures.machineCsv(dir.resolve("holder.csv"), 20, 1, 0);

        assertThat(runner.run(run(asset, round(ROUND, new double[4]), OptionalLong.of(50), false)).getFailureDetail())
                .startsWith("output guard (ai.minAggregation = 50)");
    }

    @Test
    void run_overPersonalDataOfFewerSubjectsThanK_shouldBeRefused() throws Exception {
        var asset = MlTestFixtures.withSubjects(MlTestFixtures.machineCsv(dir.resolve("holder.csv"), 500, 1, 0), dir.resolve("personal.csv"), 8);

        assertThat(runner.run(run(asset, round(ROUND, new double[4]), OptionalLong.of(10), false)).succeeded()).isTrue();
        assertThat(runner.run(MlTestFixtures.runOnPersonalData(asset, round(ROUND, new double[4]), OptionalLong.of(10), false)).getFailureDetail())
                .isEqualTo("output guard (ai.minAggregation = 10): the update would come from 8 data subjects (operator_id); "
                        + "ai.minAggregation requires at least 10");
    }

    @Test
    void validate_shouldRefuseMalformedRounds() {
        assertThat(runner.validate(new JobDescription(JobType.FL_ROUND, ROUND, new byte[]{1, 2})).getFailureDetail()).startsWith("model");
        assertThat(runner.validate(round(ROUND, new double[3])).getFailureDetail()).contains("3 weights for 3 features");
        var parameters = new HashMap<>(ROUND);
        parameters.put("scales", "10,0,3");
        assertThat(runner.validate(round(parameters, new double[4])).getFailureDetail()).startsWith("scales");
        parameters = new HashMap<>(ROUND);
        parameters.put("epsilon", "1");
        parameters.put("mechanism", "exponential");
        assertThat(runner.validate(round(parameters, new double[4])).getFailureDetail()).startsWith("mechanism");
        parameters = new HashMap<>(ROUND);
        parameters.remove("positive");
        assertThat(runner.validate(round(parameters, new double[4])).failed()).isTrue();
    }
}
