-- Which runtime (EDC's runtime id, new at every start) last ran each replica (kakehashi.replica.id): a restarted
-- replica releases the leases its previous run left behind (PredecessorLeases).
CREATE TABLE IF NOT EXISTS kakehashi_replica_run
(
    replica_id VARCHAR NOT NULL PRIMARY KEY,
    runtime_id VARCHAR NOT NULL,
    started_at BIGINT  NOT NULL
);
