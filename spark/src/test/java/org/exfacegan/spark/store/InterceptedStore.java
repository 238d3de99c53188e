package org.exfacegan.spark.store;

import java.util.List;
import java.util.SortedMap;
import java.util.function.IntConsumer;

/**
 * A store that calls a hook before each change (write, folder write, delete) with the change's
 * number: to kill a writer between two changes ({@link #crashingBefore}), or to slow it down so that
 * a real kill lands in the middle of a unit ({@link #slowed}).
 */
public final class InterceptedStore implements OutputStore {
    /** What a "killed" writer throws: that change and every later one never happen. */
    public static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Crash(int change) {
            super("simulated kill before change " + change);
        }
    }

    private final OutputStore inner;
    private final IntConsumer beforeChange;
    private int changes;

    public InterceptedStore(OutputStore inner, IntConsumer beforeChange) {
        this.inner = inner;
        this.beforeChange = beforeChange;
    }

    public static InterceptedStore crashingBefore(OutputStore inner, int change) {
        return new InterceptedStore(inner, i -> {
            if (i == change) {
                throw new Crash(i);
            }
        });
    }

    public static InterceptedStore slowed(OutputStore inner, long millisPerChange) {
        return new InterceptedStore(inner, i -> {
            try {
                Thread.sleep(millisPerChange);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        });
    }

    /** How many changes went through. */
    public int changes() {
        return changes;
    }

    private void change() {
        beforeChange.accept(changes);
        changes++;
    }

    @Override
    public String location() {
        return inner.location();
    }

    @Override
    public boolean atomicRename() {
        return inner.atomicRename();
    }

    @Override
    public void create() {
        inner.create();
    }

    @Override
    public void write(String path, byte[] content) {
        change();
        inner.write(path, content);
    }

    @Override
    public boolean writeFolder(String dir, SortedMap<String, byte[]> files) {
        change();
        return inner.writeFolder(dir, files);
    }

    @Override
    public byte[] read(String path) {
        return inner.read(path);
    }

    @Override
    public boolean exists(String path) {
        return inner.exists(path);
    }

    @Override
    public List<String> list(String dir) {
        return inner.list(dir);
    }

    @Override
    public void delete(String path) {
        change();
        inner.delete(path);
    }

    @Override
    public int removeTemporaries() {
        return inner.removeTemporaries();
    }

    @Override
    public void close() {
        inner.close();
    }
}
