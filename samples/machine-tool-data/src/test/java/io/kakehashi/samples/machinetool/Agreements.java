package io.kakehashi.samples.machinetool;

import io.kakehashi.samples.support.ManagementClient;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads contract agreements through a management API.
 */
final class Agreements {

    private Agreements() {
    }

    /** The protocol-level agreement ids of every agreement the connector holds. */
    static List<String> sharedIdsOf(ManagementClient api) {
        var ids = new ArrayList<String>();
        api.post("/v3/contractagreements/request", ManagementClient.body("QuerySpec"))
                .forEach(agreement -> ids.add(agreement.path("agreementId").asText()));
        return ids;
    }
}
