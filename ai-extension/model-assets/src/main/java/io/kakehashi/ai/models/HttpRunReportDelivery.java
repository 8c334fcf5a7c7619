package io.kakehashi.ai.models;

import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.eclipse.edc.http.spi.EdcHttpClient;
import org.eclipse.edc.spi.result.Result;

import java.io.IOException;

/**
 * Posts a run report to the vendor's protocol context, {@code <vendor's protocol base>}{@value RunReportsController#PATH},
 * the base being the DSP address the model came from, without its version segment. Only a 200 counts as taken.
 * Thread-safe.
 */
public final class HttpRunReportDelivery implements RunReportDelivery {

    private final EdcHttpClient client;
    private final ObjectMapper mapper;

    public HttpRunReportDelivery(EdcHttpClient client, ObjectMapper mapper) {
        this.client = client;
        this.mapper = mapper;
    }

    @Override
    public Result<Void> deliver(SealedModel model, String report) {
        var address = model.vendorAddress();
        if (address == null || !address.matches("https?://[^\\s?#]+")) {
            return Result.failure("the vendor's address of agreement %s is not known".formatted(model.localAgreementId()));
        }
        var body = mapper.createObjectNode().put("report", report).toString();
        var request = new Request.Builder().url(protocolBase(address) + RunReportsController.PATH)
                .post(RequestBody.create(body, MediaType.get("application/json"))).build();
        try (var response = client.execute(request)) {
            return response.code() == 200 ? Result.success() : Result.failure("the vendor's connector answered %d".formatted(response.code()));
        } catch (IOException e) {
            return Result.failure("the vendor's connector could not be reached");
        }
    }

    static String protocolBase(String dspAddress) {
        var address = dspAddress.endsWith("/") ? dspAddress.substring(0, dspAddress.length() - 1) : dspAddress;
        var slash = address.lastIndexOf('/');
        if (slash > "https://".length() && address.substring(slash + 1).matches("\\d{4}-\\d+|v\\d+(\\.\\d+)*")) {
            address = address.substring(0, slash);
        }
        return address;
    }
}
