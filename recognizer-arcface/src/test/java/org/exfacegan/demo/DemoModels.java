package org.exfacegan.demo;

import java.nio.file.Path;
import org.exfacegan.api.testing.DemoWorldCheck;

/** Where the committed demo world lives. */
final class DemoModels {
    private DemoModels() {}

    static Path repositoryRoot() {
        return DemoWorldCheck.repositoryRoot();
    }

    static Path dir() {
        return repositoryRoot().resolve("models").resolve("demo");
    }
}
