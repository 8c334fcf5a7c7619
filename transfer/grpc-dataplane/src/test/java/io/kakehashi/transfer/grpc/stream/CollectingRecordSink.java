package io.kakehashi.transfer.grpc.stream;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test sink that keeps every payload as text. */
final class CollectingRecordSink implements RecordSink {

    final List<String> payloads = new CopyOnWriteArrayList<>();

    @Override
    public long nextSequence() {
        return payloads.size();
    }

    @Override
    public void accept(long sequence, byte[] payload) {
        payloads.add(new String(payload, StandardCharsets.UTF_8));
    }

    int size() {
        return payloads.size();
    }

    /** Whether the i-th payload is "record-i" for every i: nothing lost, nothing repeated, in order. */
    boolean isContiguous() {
        for (var i = 0; i < payloads.size(); i++) {
            if (!payloads.get(i).equals("record-" + i)) {
                return false;
            }
        }
        return true;
    }
}
