package io.kakehashi.ai.models;

import io.kakehashi.testfixtures.Concurrently;
import io.kakehashi.testfixtures.StoreContractTestBase;
import org.eclipse.edc.spi.result.ServiceResult;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link ReceivedRunReports} promises; each implementation subclasses it. */
public abstract class ReceivedRunReportsTestBase extends StoreContractTestBase<ReceivedRunReports> {

    private static final Instant TIME = Instant.parse("2026-12-07T03:00:00.123456789Z");

    private static ReceivedRunReport report(String agreement, long run, String report) {
        return new ReceivedRunReport(agreement, "local-" + agreement, "did:web:holder", run, "run-" + run, TIME.plusSeconds(run), "cd".repeat(32),
                TIME.plusSeconds(run + 1), run > 2, report);
    }

    // the receiver's rule, reduced: the next run is kept, the same report again answered as kept, anything else a conflict
    private static ServiceResult<ReceivedRunReport> sequence(List<ReceivedRunReport> kept, ReceivedRunReport offered) {
        if (offered.run() <= kept.size()) {
            var earlier = kept.get((int) offered.run() - 1);
            return earlier.report().equals(offered.report()) ? ServiceResult.success(earlier) : ServiceResult.conflict("run %d reported already".formatted(offered.run()));
        }
        return offered.run() == kept.size() + 1 ? ServiceResult.success(offered) : ServiceResult.conflict("run %d skips a run".formatted(offered.run()));
    }

    @Test
    void next_shouldKeepOnlyTheNextRun() {
        var first = report("a-1", 1, "jws-1");

        assertThat(store().next("a-1", kept -> sequence(kept, first)).getContent()).isEqualTo(first);
        assertThat(store().next("a-1", kept -> sequence(kept, first)).getContent()).isEqualTo(first);
        assertThat(store().next("a-1", kept -> sequence(kept, report("a-1", 3, "jws-3"))).failed()).isTrue();
        assertThat(store().next("a-1", kept -> sequence(kept, report("a-1", 1, "forged"))).failed()).isTrue();
        assertThat(store().next("a-1", kept -> sequence(kept, report("a-1", 2, "jws-2"))).succeeded()).isTrue();

        assertThat(store().of("a-1")).containsExactly(first, report("a-1", 2, "jws-2"));
        assertThat(store().of("unknown")).isEmpty();
    }

    @Test
    void reports_shouldReadBackExactlyAfterARestart() {
        store().next("b-2", kept -> sequence(kept, report("b-2", 1, "jws-b1")));
        store().next("a-1", kept -> sequence(kept, report("a-1", 1, "jws-a1")));
        store().next("a-1", kept -> sequence(kept, report("a-1", 2, "jws-a2")));
        store().next("a-1", kept -> sequence(kept, report("a-1", 3, "jws-a3")));

        var restarted = open();

        assertThat(restarted.agreements()).containsExactly("a-1", "b-2");
        assertThat(restarted.of("a-1")).containsExactly(report("a-1", 1, "jws-a1"), report("a-1", 2, "jws-a2"), report("a-1", 3, "jws-a3"));
        assertThat(restarted.of("b-2")).containsExactly(report("b-2", 1, "jws-b1"));
    }

    @Test
    void next_whenTwoInstancesTakeDifferentReportsOfOneRunAtOnce_shouldKeepOne() throws Exception {
        var instances = List.of(store(), replica());
        for (var round = 0; round < 10; round++) {
            var agreement = "agreement-" + round;
            var calls = new ArrayList<Callable<ServiceResult<ReceivedRunReport>>>();
            for (var i = 0; i < instances.size(); i++) {
                var instance = instances.get(i);
                var offered = report(agreement, 1, "jws-from-" + i);
                calls.add(() -> instance.next(agreement, kept -> sequence(kept, offered)));
            }

            var answers = Concurrently.call(calls);

            assertThat(answers).filteredOn(ServiceResult::succeeded).hasSize(1);
            assertThat(store().of(agreement)).singleElement().isEqualTo(answers.stream().filter(ServiceResult::succeeded).findFirst().orElseThrow().getContent());
        }
    }
}
