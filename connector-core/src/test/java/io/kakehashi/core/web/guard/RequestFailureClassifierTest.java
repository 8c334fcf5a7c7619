package io.kakehashi.core.web.guard;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.persistence.EdcPersistenceException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class RequestFailureClassifierTest {

    private final RequestFailureClassifier classifier = new RequestFailureClassifier();

    private static <T extends Throwable> T thrownAt(T failure, String... classNames) {
        var frames = new StackTraceElement[classNames.length];
        for (var i = 0; i < classNames.length; i++) {
            frames[i] = new StackTraceElement(classNames[i], "m", null, 1);
        }
        failure.setStackTrace(frames);
        return failure;
    }

    @Nested
    class Sql {

        @ParameterizedTest
        @CsvSource({"23505,409,already exists", "22021,400,NUL", "22P05,400,NUL", "42883,400,operator", "42704,400,operator", "22001,400,longer", "23502,400,missing"})
        void classify_whenTheStoreRefusesTheStatement_shouldBlameTheRequest(String state, int status, String says) {
            var failure = new EdcPersistenceException(new EdcPersistenceException(new SQLException("ERROR: secret detail of the statement", state)));

            var problem = classifier.classify(failure);

            assertThat(problem).hasValueSatisfying(p -> {
                assertThat(p.status()).isEqualTo(status);
                assertThat(p.message()).contains(says).doesNotContain("secret detail");
            });
        }

        @Test
        void classify_whenTheDatabaseIsDown_shouldBlameTheConnector() {
            assertThat(classifier.classify(new EdcPersistenceException(new SQLException("connection refused", "08001")))).isEmpty();
        }
    }

    @Test
    void classify_whenAValidatorReadsAValueOfAnotherJsonType_shouldBe400() {
        var failure = thrownAt(new ClassCastException("class org.eclipse.parsson.JsonStringImpl cannot be cast"),
                "org.eclipse.parsson.JsonObjectBuilderImpl$JsonObjectImpl", "org.eclipse.edc.validator.jsonobject.validators.model.QuerySpecValidator",
                "org.eclipse.edc.connector.controlplane.api.management.asset.BaseAssetApiController");

        assertThat(classifier.classify(failure)).hasValueSatisfying(p -> {
            assertThat(p.status()).isEqualTo(400);
            assertThat(p.message()).contains("wrong JSON type").doesNotContain("parsson");
        });
    }

    @Test
    void classify_whenABuilderInATransformerMissesAValue_shouldBe400WithTheBuildersMessage() {
        var failure = thrownAt(new NullPointerException("The callbackAddress must be specified"), "java.util.Objects",
                "org.eclipse.edc.connector.controlplane.transfer.spi.types.protocol.TransferRequestMessage$Builder",
                "org.eclipse.edc.protocol.dsp.transferprocess.transform.type.to.JsonObjectToTransferRequestMessageTransformer");

        assertThat(classifier.classify(failure)).hasValueSatisfying(p -> assertThat(p.message()).isEqualTo("a required value is missing: The callbackAddress must be specified"));
    }

    @Test
    void classify_whenAValidatorGetsNoBody_shouldBe400WithoutTheHelpfulNpeText() {
        var failure = thrownAt(new NullPointerException("Cannot invoke \"jakarta.json.JsonObject.get(Object)\" because \"asset\" is null"),
                "io.kakehashi.catalog.extension.AssetMetadataProperty", "io.kakehashi.catalog.extension.AssetMetadataValidator");

        assertThat(classifier.classify(failure)).hasValueSatisfying(p -> assertThat(p.message()).doesNotContain("jakarta").contains("lacks a required value"));
    }

    @Test
    void classify_whenAQueryCannotBeTranslated_shouldBe400WithTheReason() {
        var cause = thrownAt(new IllegalArgumentException("Cannot sort by zzz because the field does not exist"), "org.eclipse.edc.sql.translation.SqlQueryStatement");

        assertThat(classifier.classify(new EdcException(cause.getMessage(), cause))).hasValueSatisfying(p -> {
            assertThat(p.status()).isEqualTo(400);
            assertThat(p.message()).contains("Cannot sort by zzz");
        });
    }

    @Test
    void classify_whenAnInMemoryOperatorCannotCompareTheOperand_shouldBe400() {
        // 'id in 42' or 'id in ["a", 1]' on an in-memory store: EDC's InOperatorPredicate throws
        var cause = thrownAt(new NullPointerException("Cannot invoke \"Object.equals(Object)\" because \"value\" is null"),
                "org.eclipse.edc.query.InOperatorPredicate", "org.eclipse.edc.query.CriterionOperatorRegistryImpl");

        assertThat(classifier.classify(new EdcException("query failed", cause))).hasValueSatisfying(p -> {
            assertThat(p.status()).isEqualTo(400);
            assertThat(p.message()).contains("operand does not fit its operator");
        });
    }

    @Test
    void classify_whenAPropertyCannotBeReadByReflection_shouldBe400() {
        // sortField 'dataAddress.baseUrl' on the in-memory store while some asset's address has no baseUrl
        var cause = thrownAt(new IllegalStateException("Error during reflective access: baseUrl"),
                "org.eclipse.edc.util.reflection.ReflectionUtil", "org.eclipse.edc.store.ReflectionBasedQueryResolver");

        assertThat(classifier.classify(new EdcException("Error during reflective access: baseUrl", cause))).hasValueSatisfying(p -> {
            assertThat(p.status()).isEqualTo(400);
            assertThat(p.message()).contains("names a property not every entry has");
        });
    }

    @Test
    void classify_whenTheReasonNamesAJavaClass_shouldNameItBySimpleName() {
        var cause = thrownAt(new IllegalArgumentException("Cannot sort by zzz, the field does not exist in class org.eclipse.edc.connector.TransferProcess"),
                "org.eclipse.edc.store.ReflectionBasedQueryResolver");

        assertThat(classifier.classify(cause)).hasValueSatisfying(p -> assertThat(p.message())
                .isEqualTo("the query cannot be run: Cannot sort by zzz, the field does not exist in TransferProcess"));
    }

    @Test
    void classify_whenJacksonRefusesTheBody_shouldBe400() {
        assertThat(classifier.classify(new StreamConstraintsException("Document nesting depth (1001) exceeds the maximum allowed")))
                .hasValueSatisfying(p -> assertThat(p.status()).isEqualTo(400));
    }

    @Test
    void classify_whenAResourceItselfFails_shouldBlameTheConnector() {
        var failure = thrownAt(new NullPointerException("state is null"),
                "org.eclipse.edc.connector.dataplane.api.controller.v1.DataPlaneSignalingApiController", "org.eclipse.edc.validator.Something");

        assertThat(classifier.classify(failure)).isEmpty();
        assertThat(classifier.classify(new IllegalStateException("boom"))).isEmpty();
    }

    @Test
    void classify_whenAResourceRefusesAnArgument_shouldBe400AsInEdcWithoutItsMessage() {
        var failure = thrownAt(new IllegalArgumentException("internal detail"), "io.kakehashi.x.SomeApiController");

        assertThat(classifier.classify(failure)).hasValueSatisfying(p -> {
            assertThat(p.status()).isEqualTo(400);
            assertThat(p.message()).isEqualTo("a value in the request is not valid");
        });
    }
}
