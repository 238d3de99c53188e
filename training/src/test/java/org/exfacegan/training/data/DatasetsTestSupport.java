package org.exfacegan.training.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Test data from other packages' tests: identity folders of random 112x112 PNG faces. */
public final class DatasetsTestSupport {
    private DatasetsTestSupport() {}

    public static List<List<byte[]>> folders(Path root, int identities, int images) throws IOException {
        return DatasetsTest.folders(root, identities, images);
    }
}
