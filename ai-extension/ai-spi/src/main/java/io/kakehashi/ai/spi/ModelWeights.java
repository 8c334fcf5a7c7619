package io.kakehashi.ai.spi;

import org.eclipse.edc.spi.result.Result;

import java.nio.ByteBuffer;

/**
 * The wire form of a federated model's weights, carried as a federated round's model bytes: a magic number, the
 * count, then IEEE 754 doubles, big-endian. Stateless and thread-safe.
 */
public final class ModelWeights {

    private static final int MAGIC = 0x4B485701; // "KHW" v1
    /** More weights than any linear model a round trains; bounds what a peer can make us allocate. */
    public static final int MAX_WEIGHTS = 1 << 20;

    private ModelWeights() {
    }

    public static byte[] encode(double[] weights) {
        var buffer = ByteBuffer.allocate(8 + 8 * weights.length).putInt(MAGIC).putInt(weights.length);
        for (var weight : weights) {
            buffer.putDouble(weight);
        }
        return buffer.array();
    }

    public static Result<double[]> decode(byte[] bytes) {
        if (bytes == null || bytes.length < 8) {
            return Result.failure("model: not a weight vector");
        }
        var buffer = ByteBuffer.wrap(bytes);
        if (buffer.getInt() != MAGIC) {
            return Result.failure("model: not a weight vector");
        }
        var count = buffer.getInt();
        if (count < 0 || count > MAX_WEIGHTS || bytes.length != 8 + 8L * count) {
            return Result.failure("model: a weight vector of %d values does not fit %d bytes".formatted(count, bytes.length));
        }
        var weights = new double[count];
        for (var i = 0; i < count; i++) {
            weights[i] = buffer.getDouble();
            if (!Double.isFinite(weights[i])) {
                return Result.failure("model: weight %d is not a finite number".formatted(i));
            }
        }
        return Result.success(weights);
    }
}
