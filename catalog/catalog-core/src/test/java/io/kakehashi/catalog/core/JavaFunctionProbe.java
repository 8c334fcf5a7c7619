package io.kakehashi.catalog.core;

import org.apache.jena.sparql.expr.NodeValue;
import org.apache.jena.sparql.function.FunctionBase1;

/**
 * What an attacker names by {@code <java:io.kakehashi.catalog.core.JavaFunctionProbe>}: a class whose loading has a
 * side effect, recorded in {@link OutsideQueryConfinementTest#PROBE_LOADED} (a field of another class, so that reading
 * it does not load this one). Only ever loaded by Jena's dynamic function loading.
 */
public class JavaFunctionProbe extends FunctionBase1 {

    static {
        OutsideQueryConfinementTest.PROBE_LOADED.set(true);
    }

    @Override
    public NodeValue exec(NodeValue value) {
        return NodeValue.makeString("loaded by name");
    }
}
