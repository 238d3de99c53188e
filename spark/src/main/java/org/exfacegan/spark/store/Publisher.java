package org.exfacegan.spark.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.io.Sha256;

/**
 * Publishes units of work (identities) on any {@link OutputStore}: write the files, then a
 * completion marker {@code _published/<unit>.json}. Readers and a resumed run trust the marker
 * alone: a unit without one was not finished (its task was killed, or is still running) and is
 * published again; files it left are overwritten with the same bytes.
 *
 * <p>Idempotent: a retried or speculative duplicate attempt writes the same bytes and the same
 * marker (the run is deterministic), so it is harmless whenever it runs. An attempt that finds the
 * unit already marked checks that its own files match the marker and writes nothing; a mismatch means
 * the run is not deterministic, and fails loudly. See docs/spark.md for the scheme.
 */
public final class Publisher {
    /** The folder of the completion markers, at the store's root. */
    public static final String MARKERS = "_published";

    public enum Outcome {
        /** This attempt wrote the unit and its marker. */
        PUBLISHED,
        /** The unit was already marked (by an earlier or duplicate attempt) with the same content. */
        ALREADY_PUBLISHED
    }

    private final OutputStore store;

    public Publisher(OutputStore store) {
        this.store = store;
    }

    public static String markerPath(String unit) {
        return MARKERS + "/" + StorePaths.check(unit) + ".json";
    }

    /** Whether the unit's marker is there: the one thing resume and readers trust. */
    public boolean isPublished(String unit) {
        return store.exists(markerPath(unit));
    }

    /** Names of the published units under {@code parent} (e.g. {@code identities}), from one listing. */
    public SortedSet<String> published(String parent) {
        SortedSet<String> units = new TreeSet<>();
        for (String name : store.list(MARKERS + "/" + StorePaths.check(parent))) {
            if (name.endsWith(".json")) {
                units.add(parent + "/" + name.substring(0, name.length() - ".json".length()));
            }
        }
        return units;
    }

    public Outcome publish(Publication p) {
        Marker mine = Marker.of(p);
        String markerPath = markerPath(p.name());
        if (store.exists(markerPath)) {
            requireSame(mine, Marker.parse(store.read(markerPath), store.location() + "/" + markerPath));
            return Outcome.ALREADY_PUBLISHED;
        }
        for (String folder : p.folders()) {
            writeOwnedFolder(p.name(), folder, p.filesIn(folder));
        }
        p.looseFiles().forEach(store::write);
        store.write(markerPath, mine.toBytes());
        return Outcome.PUBLISHED;
    }

    /**
     * A published unit's files, read back and checked against its marker (size and SHA-256 of each);
     * null when the unit has no marker, a damaged one, or a file it lists is missing or differs: such a unit is not
     * published whole, and {@link #unpublish} makes it be written again.
     */
    public SortedMap<String, byte[]> readBack(String unit) {
        Marker marker;
        try {
            marker = marker(unit);
        } catch (ExfaceganException damaged) { // cut short: a writer killed while writing it in place (no rename)
            return null;
        }
        if (marker == null) {
            return null;
        }
        SortedMap<String, byte[]> files = new TreeMap<>();
        for (Marker.Entry e : marker.files()) {
            if (!store.exists(e.path())) {
                return null;
            }
            byte[] content;
            try {
                content = store.read(e.path());
            } catch (ExfaceganException unreadable) { // e.g. a checksummed file system's own damage check
                return null;
            }
            if (content.length != e.bytes() || !Sha256.of(content).equals(e.sha256())) {
                return null;
            }
            files.put(e.path(), content);
        }
        return files;
    }

    /** Deletes a unit's marker (its files stay, to be overwritten): readers and resume no longer count it. */
    public void unpublish(String unit) {
        store.delete(markerPath(unit));
    }

    /** The files a unit's marker lists, by path with their SHA-256; empty when it has none. */
    public SortedMap<String, String> listed(String unit) {
        Marker marker = marker(unit);
        SortedMap<String, String> files = new TreeMap<>();
        if (marker != null) {
            marker.files().forEach(e -> files.put(e.path(), e.sha256()));
        }
        return files;
    }

    /**
     * Publishes a unit whose files change from one publication to the next (a driver's own files:
     * run.json is rewritten as the run goes on): the files that differ from what the current marker
     * lists, then the new marker, then the files only the old marker listed are deleted. Each file
     * appears whole; which of them belong to the unit is what the marker says (a writer killed before
     * its marker leaves files no marker lists, which the next publication overwrites or leaves unused).
     */
    public void replace(Publication p) {
        SortedMap<String, String> before = listed(p.name());
        Marker mine = Marker.of(p);
        for (Marker.Entry e : mine.files()) {
            if (!e.sha256().equals(before.get(e.path())) || !store.exists(e.path())) {
                store.write(e.path(), p.files().get(e.path()));
            }
        }
        store.write(markerPath(p.name()), mine.toBytes());
        for (String path : before.keySet()) {
            if (!p.files().containsKey(path)) {
                store.delete(path);
            }
        }
    }

    private Marker marker(String unit) {
        String markerPath = markerPath(unit);
        if (!store.exists(markerPath)) {
            return null;
        }
        return Marker.parse(store.read(markerPath), store.location() + "/" + markerPath);
    }

    /**
     * Checks a published unit against its marker: every file present with its size and SHA-256.
     * Reads every file: for a check command, not for resume.
     *
     * @return the problems found, empty when the unit is whole
     */
    public List<String> verify(String unit) {
        String markerPath = markerPath(unit);
        if (!store.exists(markerPath)) {
            return List.of(unit + ": not published (no marker " + markerPath + ")");
        }
        List<String> problems = new ArrayList<>();
        for (Marker.Entry e : Marker.parse(store.read(markerPath), store.location() + "/" + markerPath).files()) {
            if (!store.exists(e.path())) {
                problems.add(e.path() + ": missing");
                continue;
            }
            byte[] content;
            try {
                content = store.read(e.path());
            } catch (ExfaceganException unreadable) { // e.g. a checksummed file system's own damage check
                problems.add(e.path() + ": unreadable: " + unreadable.getMessage());
                continue;
            }
            if (content.length != e.bytes() || !Sha256.of(content).equals(e.sha256())) {
                problems.add(e.path() + ": " + content.length + " bytes, SHA-256 " + Sha256.of(content)
                        + "; the marker says " + e.bytes() + " bytes, SHA-256 " + e.sha256());
            }
        }
        return problems;
    }

    private void writeOwnedFolder(String unit, String folder, SortedMap<String, byte[]> files) {
        if (!store.atomicRename()) {
            // each object appears whole; the marker, written last, makes the set whole
            for (String present : store.list(folder)) {
                if (!files.containsKey(present)) {
                    store.delete(folder + "/" + present); // not part of the unit: left by something else, never published
                }
            }
            files.forEach((name, content) -> store.write(folder + "/" + name, content));
            return;
        }
        if (!store.exists(folder) && store.writeFolder(folder, files)) {
            return;
        }
        // already there: renamed in whole by an earlier attempt that died before its marker, or by a
        // duplicate running at the same time; identical bytes are kept as they are (no moment without them)
        if (sameContent(folder, files)) {
            return;
        }
        store.delete(folder); // a damaged leftover no marker vouches for
        if (!store.writeFolder(folder, files) && !sameContent(folder, files)) {
            throw notDeterministic(unit, "folder " + folder + " was written with other content by another attempt at the same time");
        }
    }

    private boolean sameContent(String folder, SortedMap<String, byte[]> files) {
        if (!store.list(folder).equals(new ArrayList<>(files.keySet()))) {
            return false;
        }
        for (var f : files.entrySet()) {
            byte[] there;
            try {
                there = store.read(folder + "/" + f.getKey());
            } catch (ExfaceganException unreadable) { // a damaged leftover (a checksummed file system refuses it): replaced
                return false;
            }
            if (!Arrays.equals(there, f.getValue())) {
                return false;
            }
        }
        return true;
    }

    private void requireSame(Marker mine, Marker published) {
        String difference = mine.differenceFrom(published);
        if (difference != null) {
            throw notDeterministic(mine.unit(), "this attempt made " + difference + " in the published marker");
        }
    }

    private ExfaceganException notDeterministic(String unit, String what) {
        return new ExfaceganException("unit " + unit + " in " + store.location() + " was already published with other content: "
                + what + ". The same unit must give the same bytes every time (same seed, models and plugins); "
                + "check provenance, or delete the output and run again");
    }
}
