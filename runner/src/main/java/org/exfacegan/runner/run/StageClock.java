package org.exfacegan.runner.run;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.api.recognizer.Recognizer;

/**
 * Time spent inside the backbone and the recogniser across all stages, so that run.json can split
 * the probe and sample stages into generating, aligning + embedding, and the rest (writing).
 */
final class StageClock {
    static final String GENERATE = "generate";
    static final String ALIGN_EMBED = "align_embed";
    static final String GROUND_TRUTH = "ground_truth";

    private final Map<String, AtomicLong> nanos = new ConcurrentHashMap<>();

    Backbone time(Backbone b) {
        return proxy(Backbone.class, b, name -> switch (name) {
            case "sampleZ", "map", "truncate", "synthesize", "render" -> GENERATE;
            case "groundTruth" -> GROUND_TRUTH;
            default -> null;
        });
    }

    Recognizer time(Recognizer r) {
        return proxy(Recognizer.class, r, name -> switch (name) {
            case "embed", "align", "embedFaces" -> ALIGN_EMBED;
            default -> null;
        });
    }

    /** Seconds measured for a bucket (0 when nothing ran). */
    double seconds(String bucket) {
        AtomicLong n = nanos.get(bucket);
        return n == null ? 0 : n.get() / 1e9;
    }

    /** {@link #seconds} to the millisecond, as run.json records it. */
    double rounded(String bucket) {
        return Math.round(seconds(bucket) * 1000) / 1000.0;
    }

    private interface Buckets {
        String of(String method);
    }

    private <T> T proxy(Class<T> type, T target, Buckets buckets) {
        InvocationHandler handler = (proxy, method, args) -> {
            String bucket = method.getDeclaringClass() == Object.class ? null : buckets.of(method.getName());
            long t0 = System.nanoTime();
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                if (bucket != null) {
                    nanos.computeIfAbsent(bucket, k -> new AtomicLong()).addAndGet(System.nanoTime() - t0);
                }
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
