package io.kakehashi.identity.credentials;

import io.kakehashi.identity.did.DidDocumentServer;
import io.kakehashi.identity.did.DidTestFixtures;
import io.kakehashi.identity.did.OwnDid;

import java.time.Instant;
import java.util.Map;

/** A dataspace authority published on a loopback server, with its status list. */
public final class CredentialTestFixtures {

    public static final String VALID_JCN = "JCN:1180301018771";
    public static final String WRONG_JCN = "JCN:2180301018771";
    public static final String VALID_LEI = "LEI:5493001KJTIIGC8Y1R12";
    public static final String WRONG_LEI = "LEI:5493001KJTIIGC8Y1R13";

    private CredentialTestFixtures() {
    }

    /** An issuing authority: its DID, issuer and one status list at {@code /<name>/status/1}. */
    public static final class Authority {
        public final OwnDid did;
        public final CredentialIssuer issuer;
        public final StatusList statusList = StatusList.empty();
        public final String statusListUrl;
        private final DidDocumentServer server;
        private int nextIndex;

        public Authority(DidDocumentServer server, String name) {
            this.server = server;
            this.did = DidTestFixtures.publish(server, name, null);
            this.issuer = new CredentialIssuer(did.id(), did.signingKey(), did.methodId(did.signingKey()));
            this.statusListUrl = "http://127.0.0.1:%d/%s/status/1".formatted(server.port(), name);
            publishStatusList();
        }

        /** The next unused status entry. */
        public StatusEntry nextStatus() {
            return new StatusEntry(statusListUrl, nextIndex++, StatusEntry.REVOCATION);
        }

        public void revoke(StatusEntry entry) {
            statusList.set(entry.index(), true);
            publishStatusList();
        }

        public void publishStatusList() {
            var path = statusListUrl.substring(statusListUrl.indexOf('/', "http://".length()));
            server.put(path, issuer.statusList(statusListUrl, statusList, Instant.now().minusSeconds(60), null).getContent());
        }

        public String issue(String type, Map<String, Object> subject) {
            return issuer.issue(type, subject, Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600), nextStatus()).orElseThrow(f -> new IllegalStateException(f.getFailureDetail()));
        }
    }
}
