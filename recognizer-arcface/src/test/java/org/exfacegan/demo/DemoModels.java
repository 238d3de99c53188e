package org.exfacegan.demo;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the committed demo world lives. */
final class DemoModels {
    private DemoModels() {}

    /** The repository root: the nearest folder up from the working directory with a pom.xml and models/ or api/. */
    static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        for (Path q = p; q != null; q = q.getParent()) {
            if (Files.isRegularFile(q.resolve("pom.xml")) && Files.isDirectory(q.resolve("api"))) {
                return q;
            }
        }
        return p;
    }

    static Path dir() {
        return repositoryRoot().resolve("models").resolve("demo");
    }
}
