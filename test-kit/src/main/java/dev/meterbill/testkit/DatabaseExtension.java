package dev.meterbill.testkit;

/** A migrated {@link TestDatabase} for all tests of a class (a static {@code @RegisterExtension} field), dropped after them. */
public final class DatabaseExtension extends ServiceExtension<TestDatabase> {

    public DatabaseExtension() {
        super(Scope.CLASS, TestDatabase::create);
    }
}
