-- Kakehashi policy-decision log. entry_json is the RFC 8785 canonical JSON of the entry, exactly what was hashed;
-- the other entry columns copy values out of it for the queries and are checked against it on every read.
CREATE TABLE IF NOT EXISTS kakehashi_decision_log (
    sequence        BIGINT PRIMARY KEY,
    previous_hash   VARCHAR(64) NOT NULL,
    hash            VARCHAR(64) NOT NULL,
    decided_at      TIMESTAMPTZ NOT NULL,
    scope           VARCHAR NOT NULL,
    counterparty_id VARCHAR NOT NULL,
    agreement_id    VARCHAR,
    asset_id        VARCHAR,
    outcome         VARCHAR NOT NULL,
    entry_json      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS kakehashi_decision_log_agreement_idx ON kakehashi_decision_log (agreement_id, sequence);
CREATE INDEX IF NOT EXISTS kakehashi_decision_log_counterparty_idx ON kakehashi_decision_log (counterparty_id, sequence);
CREATE INDEX IF NOT EXISTS kakehashi_decision_log_asset_idx ON kakehashi_decision_log (asset_id, sequence);
CREATE INDEX IF NOT EXISTS kakehashi_decision_log_time_idx ON kakehashi_decision_log (decided_at);

CREATE TABLE IF NOT EXISTS kakehashi_decision_checkpoint (
    sequence  BIGINT PRIMARY KEY,
    head_hash VARCHAR(64) NOT NULL,
    signed_at TIMESTAMPTZ NOT NULL,
    jws       TEXT NOT NULL
);

-- Named digests (job, model, result, ...): the entry's digest values in the order of their names, NULL when it has
-- none; only for finding the entries that carry a digest. Added after the first release: a log created before gets
-- the column empty, which is right for its entries (they have no digests).
ALTER TABLE kakehashi_decision_log ADD COLUMN IF NOT EXISTS digest_values VARCHAR(64)[];
CREATE INDEX IF NOT EXISTS kakehashi_decision_log_digests_idx ON kakehashi_decision_log USING GIN (digest_values);

-- EDC's own id of the agreement where the entry's agreement_id is the DSP agreement id and the two differ
-- (docs/decisions/0035); NULL otherwise. Added after receipts (decision 0039): a log created before gets the column
-- empty, which is right for its entries (they name an agreement by one id).
ALTER TABLE kakehashi_decision_log ADD COLUMN IF NOT EXISTS local_agreement_id VARCHAR;
CREATE INDEX IF NOT EXISTS kakehashi_decision_log_local_agreement_idx ON kakehashi_decision_log (local_agreement_id, sequence);

-- The public keys the checkpoints were signed with (kid, public JWK, when the log took it, the hand-over signed by
-- the key before it): kept with the log, so checkpoints stay verifiable after the identity has dropped a key.
-- Added after the first release; a log created before gets the table empty and takes its current key at the next start.
CREATE TABLE IF NOT EXISTS kakehashi_decision_checkpoint_key (
    kid         VARCHAR PRIMARY KEY,
    public_jwk  TEXT NOT NULL,
    added_at    TIMESTAMPTZ NOT NULL,
    endorsement TEXT,
    position    BIGSERIAL NOT NULL
);

-- Witness evidence (decision 0036): heads of peers this connector countersigned or refused as inconsistent, and
-- countersignatures of its own heads it received; each record as its JSON line, once per evidence_key (kind, peer,
-- tree size, root and, for a conflict, the earlier head).
CREATE TABLE IF NOT EXISTS kakehashi_decision_witness (
    position     BIGSERIAL PRIMARY KEY,
    evidence_key VARCHAR(64) NOT NULL UNIQUE,
    kind         VARCHAR(16) NOT NULL,
    peer         VARCHAR NOT NULL,
    tree_size    BIGINT NOT NULL,
    record_json  TEXT NOT NULL
);

-- receipts counterparties sent, verified (docs/decisions/0039); one per issuer and entry position
CREATE TABLE IF NOT EXISTS kakehashi_decision_receipt (
    position     BIGSERIAL PRIMARY KEY,
    issuer       VARCHAR NOT NULL,
    sequence     BIGINT NOT NULL,
    agreement_id VARCHAR,
    receipt_json TEXT NOT NULL,
    UNIQUE (issuer, sequence)
);

CREATE INDEX IF NOT EXISTS kakehashi_decision_receipt_agreement ON kakehashi_decision_receipt (agreement_id);
