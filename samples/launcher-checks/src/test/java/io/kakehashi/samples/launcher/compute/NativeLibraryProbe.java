package io.kakehashi.samples.launcher.compute;

import java.sql.DriverManager;

/**
 * Test-only, run in a JVM whose class path is the launcher jar (and this class): loads DuckDB's and ONNX Runtime's
 * native libraries the way the compute runners do — DuckDB through its JDBC driver as {@code java.sql.Driver} finds
 * it, ONNX Runtime through its environment — and prints what each answered. Exits 1 with the cause if either fails.
 */
public final class NativeLibraryProbe {

    private NativeLibraryProbe() {
    }

    public static void main(String[] args) {
        try {
            try (var connection = DriverManager.getConnection("jdbc:duckdb:");
                 var statement = connection.createStatement();
                 var rows = statement.executeQuery("SELECT version(), 6 * 7")) {
                rows.next();
                System.out.println("duckdb " + rows.getString(1) + " answered " + rows.getInt(2));
            }
            System.out.println("onnxruntime providers " + ai.onnxruntime.OrtEnvironment.getAvailableProviders());
            System.out.println("onnxruntime environment " + (ai.onnxruntime.OrtEnvironment.getEnvironment() != null));
        } catch (Throwable e) {
            e.printStackTrace(System.out);
            System.exit(1);
        }
    }
}
