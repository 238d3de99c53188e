package org.exfacegan.demo;

import java.nio.file.Path;
import org.exfacegan.runtime.DefaultModelHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Regenerates models/demo (docs/demo-world.md). Runs only when asked:
 * {@code mvn -q -B -o -pl recognizer-arcface -am test -Dtest=DemoWorldGenerate -Dsurefire.failIfNoSpecifiedTests=false -Dexfacegan.demo.out=models/demo}
 * (a relative path is taken from the repository root).
 */
class DemoWorldGenerate {
    @Test
    @EnabledIfSystemProperty(named = "exfacegan.demo.out", matches = ".+")
    void generate() {
        main(new String[] {System.getProperty("exfacegan.demo.out")});
    }

    public static void main(String[] args) {
        Path out = DemoModels.repositoryRoot().resolve(args.length > 0 ? args[0] : "models/demo");
        for (String line : new DemoWorld(DefaultModelHost.fromServiceLoader(), out).build()) {
            System.out.println(line);
        }
        System.out.println("demo world written to " + out);
    }
}
