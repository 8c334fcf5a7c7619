package io.kakehashi.identity.dcp;

import org.eclipse.edc.spi.monitor.Monitor;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** Keeps warnings and severe messages so tests can assert what was logged. */
public class RecordingMonitor implements Monitor {

    public final List<String> warnings = new CopyOnWriteArrayList<>();

    @Override
    public void warning(Supplier<String> supplier, Throwable... errors) {
        warnings.add(supplier.get());
    }

    @Override
    public void severe(Supplier<String> supplier, Throwable... errors) {
        warnings.add("SEVERE " + supplier.get());
    }
}
