package io.kakehashi.launcher.image;

import java.sql.DriverManager;

/**
 * Run inside the image, with the launcher jar and this class on the class path: loads DuckDB's native library through
 * its JDBC driver and ONNX Runtime's through its environment, as the compute runners do, and prints what each
 * answered. Exits 1 with the cause if either fails — a library the image lacks shows here as an
 * {@link UnsatisfiedLinkError}.
 */
public final class NativeLibrariesProbe {

    private NativeLibrariesProbe() {
    }

    public static void main(String[] args) {
        try {
            try (var connection = DriverManager.getConnection("jdbc:duckdb:");
                 var statement = connection.createStatement();
                 var rows = statement.executeQuery("SELECT 6 * 7")) {
                rows.next();
                System.out.println("duckdb answered " + rows.getInt(1));
            }
            // by reflection: this module compiles without the launcher's dependencies
            var environment = Class.forName("ai.onnxruntime.OrtEnvironment").getMethod("getEnvironment").invoke(null);
            System.out.println("onnxruntime environment " + (environment != null));
        } catch (Throwable e) {
            e.printStackTrace(System.out);
            System.exit(1);
        }
    }
}
