package io.kakehashi.catalog.core.fuzz;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A class that only a query naming it ({@code <java:io.kakehashi.catalog.core.fuzz.LoadedByName>}) could make the
 * catalog load: its initialiser records in {@link #LOADED} that it happened. Nothing else in the tests touches it.
 */
public final class LoadedByName {

    /** Set when this class is initialised; read it through {@link SparqlFuzzTest}, which never initialises this class. */
    public static final AtomicBoolean LOADED = SparqlFuzzTest.CLASS_LOADED_BY_NAME;

    static {
        LOADED.set(true);
    }

    private LoadedByName() {
    }
}
