package org.exfacegan.spark.store;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.exfacegan.api.ExfaceganException;

/**
 * The files one unit of work (an identity) publishes together, by path in the store. Folders that
 * belong to the unit alone (its {@code images/00042/}) are named as such: where the store renames
 * atomically they appear whole or not at all, as in a local run today.
 *
 * @param name    the unit's name ('/'-separated, e.g. {@code identities/00042}); its marker is named after it
 * @param files   path -> content, every file of the unit
 * @param folders the folders among the files' parents that hold only this unit's files
 */
public record Publication(String name, SortedMap<String, byte[]> files, SortedSet<String> folders) {

    public Publication {
        StorePaths.check(name);
        files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
        folders = Collections.unmodifiableSortedSet(new TreeSet<>(folders));
    }

    public static Builder named(String name) {
        return new Builder(name);
    }

    /** The files of one owned folder, by name inside it. */
    SortedMap<String, byte[]> filesIn(String folder) {
        SortedMap<String, byte[]> in = new TreeMap<>();
        files.forEach((path, content) -> {
            if (StorePaths.parent(path).equals(folder)) {
                in.put(StorePaths.fileName(path), content);
            }
        });
        return in;
    }

    /** The files outside the owned folders, each written on its own. */
    SortedMap<String, byte[]> looseFiles() {
        SortedMap<String, byte[]> loose = new TreeMap<>();
        files.forEach((path, content) -> {
            if (!folders.contains(StorePaths.parent(path))) {
                loose.put(path, content);
            }
        });
        return loose;
    }

    public static final class Builder {
        private final String name;
        private final SortedMap<String, byte[]> files = new TreeMap<>();
        private final SortedSet<String> folders = new TreeSet<>();

        private Builder(String name) {
            this.name = StorePaths.check(name);
        }

        /** A folder only this unit writes, with its files by name (no sub-folders). */
        public Builder folder(String dir, Map<String, byte[]> content) {
            StorePaths.check(dir);
            if (content.isEmpty()) {
                throw new ExfaceganException("publication " + name + ": folder " + dir + " has no files");
            }
            for (String f : folders) {
                if (StorePaths.within(dir, f) || StorePaths.within(f, dir)) {
                    throw new ExfaceganException("publication " + name + ": folder " + dir + " overlaps folder " + f);
                }
            }
            for (String p : files.keySet()) {
                if (StorePaths.within(p, dir)) {
                    throw new ExfaceganException("publication " + name + ": file " + p + " lies in the owned folder " + dir);
                }
            }
            folders.add(dir);
            content.forEach((fileName, bytes) -> add(StorePaths.join(dir, StorePaths.checkName(fileName)), bytes));
            return this;
        }

        /** A file outside the unit's own folders (e.g. {@code meta/00042.npy}). */
        public Builder file(String path, byte[] content) {
            StorePaths.check(path);
            for (String f : folders) {
                if (StorePaths.within(path, f)) {
                    throw new ExfaceganException("publication " + name + ": file " + path + " lies in the owned folder " + f
                            + "; give it with folder()");
                }
            }
            add(path, content);
            return this;
        }

        private void add(String path, byte[] content) {
            if (StorePaths.within(path, Publisher.MARKERS)) {
                throw new ExfaceganException("publication " + name + ": " + path + " is inside the markers' folder " + Publisher.MARKERS);
            }
            if (files.putIfAbsent(path, content.clone()) != null) {
                throw new ExfaceganException("publication " + name + ": file " + path + " given twice");
            }
        }

        public Publication build() {
            if (files.isEmpty()) {
                throw new ExfaceganException("publication " + name + " has no files");
            }
            return new Publication(name, files, folders);
        }
    }
}
