package org.exfacegan.spark.store;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkEnv;
import org.exfacegan.api.ExfaceganException;
import scala.Tuple2;

/**
 * Where the output store is, as tasks carry it to executors (a Hadoop FileSystem cannot travel).
 * Opened on an executor, it takes the {@code spark.hadoop.*} settings of the application (the
 * credentials and endpoints of {@code s3a://}, say), as Spark's own file access does, then
 * {@code settings} on top.
 *
 * @param uri      the store's root, with a scheme ({@code file:///data/run}, {@code hdfs://nn/run}, {@code s3a://bucket/run})
 * @param settings Hadoop settings of this store (e.g. {@link HadoopStore#ATOMIC_RENAME_KEY})
 */
public record StoreLocation(String uri, Map<String, String> settings) implements Serializable {
    private static final long serialVersionUID = 1L;

    public StoreLocation {
        settings = Map.copyOf(new TreeMap<>(settings));
    }

    public static StoreLocation of(String uri) {
        return new StoreLocation(uri, Map.of());
    }

    public HadoopStore open() {
        Configuration conf = new Configuration();
        SparkEnv env = SparkEnv.get();
        if (env != null) {
            for (Tuple2<String, String> kv : env.conf().getAllWithPrefix("spark.hadoop.")) {
                conf.set(kv._1(), kv._2());
            }
        }
        settings.forEach(conf::set);
        URI root;
        try {
            root = new URI(uri);
        } catch (URISyntaxException e) {
            throw new ExfaceganException("output store \"" + uri + "\" is not a URI: " + e.getMessage(), e);
        }
        return HadoopStore.open(root, conf);
    }
}
