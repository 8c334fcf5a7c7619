package io.kakehashi.lineage;

/** Opens {@link LineageStoreTestBase} to the stores' tests in other packages. */
public abstract class LineageStoreTestBaseAccess extends LineageStoreTestBase {
}
