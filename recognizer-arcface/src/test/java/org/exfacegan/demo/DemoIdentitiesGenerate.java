package org.exfacegan.demo;

import java.io.IOException;
import java.nio.file.Path;
import org.exfacegan.runtime.DefaultModelHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes a ground-truth demo training set ({@link DemoIdentities}) for the measurements of
 * docs/training.md. Runs only when asked:
 * {@code mvn -q -B -o -pl recognizer-arcface -am test -Dtest=DemoIdentitiesGenerate -Dsurefire.failIfNoSpecifiedTests=false
 * -Dexfacegan.gt.out=DIR [-Dexfacegan.gt.identities=100 -Dexfacegan.gt.samples=24 -Dexfacegan.gt.identity_scale=1 ...]}
 */
class DemoIdentitiesGenerate {
    @Test
    @EnabledIfSystemProperty(named = "exfacegan.gt.out", matches = ".+")
    void generate() throws IOException {
        Path out = DemoModels.repositoryRoot().resolve(System.getProperty("exfacegan.gt.out"));
        DemoIdentities d = DemoIdentities.fromProperties();
        Path images = d.write(DefaultModelHost.fromServiceLoader(), out);
        System.out.println("ground-truth demo identities written: " + images + " " + d);
    }
}
