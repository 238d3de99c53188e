package org.exfacegan.runner.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.IntStream;
import org.exfacegan.runner.layout.ReferencesRecord;
import org.exfacegan.runner.layout.RunLayout;
import org.exfacegan.runner.layout.RunRecord;
import org.exfacegan.runner.progress.Progress;

/**
 * Verifies a run folder's files against the SHA-256 sums recorded when they were written: the
 * probe set, the boundaries, every identity (in parallel: a paper-scale dataset has 600,000
 * images) and the dataset index files. A resumed run uses the identity part to find what it must
 * write again; {@code exfacegan check} reports all of it.
 */
public final class RunCheck {
    /** An identity's state: never written (its images folder is absent), intact, or damaged with the problems found. */
    record IdentityState(Identity identity, boolean written, List<String> problems) {
        boolean intact() {
            return written && problems.isEmpty();
        }
    }

    /**
     * What {@code check} found.
     *
     * @param folder   the run folder
     * @param sections per part of the run ("probe set", "boundaries", "identities", "dataset files"), its verdict
     * @param problems every problem found, one line each
     * @param files    files verified
     * @param complete run.json says the run finished
     * @param config   the config file the run was made with, as run.json records it
     */
    public record Report(Path folder, List<String[]> sections, List<String> problems, long files, boolean complete, Path config) {
        public boolean intact() {
            return problems.isEmpty() && complete;
        }
    }

    private RunCheck() {}

    /** The state of every identity, verified in parallel, in the order given. */
    static List<IdentityState> identities(RunFolder folder, List<Identity> ids, Progress progress) {
        AtomicReferenceArray<IdentityState> out = new AtomicReferenceArray<>(ids.size());
        try (Progress.Stage bar = progress.stage("checking identities", ids.size(), 0, "ids")) {
            IntStream.range(0, ids.size()).parallel().forEach(i -> {
                out.set(i, state(folder, ids.get(i)));
                synchronized (bar) {
                    bar.step(1);
                }
            });
        }
        List<IdentityState> list = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            list.add(out.get(i));
        }
        return list;
    }

    private static IdentityState state(RunFolder folder, Identity id) {
        if (!Files.isDirectory(folder.resolve(RunLayout.identityFolder(RunLayout.IMAGES, id.name())))) {
            return new IdentityState(id, false, List.of());
        }
        return new IdentityState(id, true, Checksums.verify(folder, RunLayout.identitySums(id.name())));
    }

    /** Verifies a whole run folder; reads only (it takes the run's lock, so a running run is not checked under its feet). */
    public static Report check(Path runFolder, Progress progress) {
        try (RunFolder folder = RunFolder.openExisting(runFolder)) {
            RunRecord runJson = RunRecord.read(folder.root());
            List<String[]> sections = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            long[] files = {0};
            section(folder, sections, problems, files, "probe set", RunLayout.PROBE_DONE, "not finished");
            section(folder, sections, problems, files, "boundaries", RunLayout.BOUNDARY_SUMS, "not fitted");
            List<Identity> ids = expectedIdentities(folder, runJson);
            if (ids != null) {
                int intact = 0;
                List<String> damaged = new ArrayList<>();
                for (IdentityState s : identities(folder, ids, progress)) {
                    if (s.intact()) {
                        intact++;
                        files[0] += sumsCount(folder, RunLayout.identitySums(s.identity().name()));
                    } else if (!s.written()) {
                        damaged.add("identity " + s.identity().name() + " is not written");
                    } else {
                        s.problems().forEach(p -> damaged.add("identity " + s.identity().name() + ": " + p));
                    }
                }
                problems.addAll(damaged);
                sections.add(new String[] {"identities", intact + " of " + ids.size() + " intact"
                        + (damaged.isEmpty() ? "" : "; " + Checksums.summarise(damaged))});
            }
            section(folder, sections, problems, files, "dataset files", RunLayout.DATASET_SUMS, "not written");
            return new Report(folder.root(), sections, problems, files[0], runJson.isComplete(),
                    Path.of(runJson.configFile() == null ? "" : runJson.configFile()));
        }
    }

    private static void section(RunFolder folder, List<String[]> sections, List<String> problems, long[] files, String name,
                                String sums, String absent) {
        if (!folder.exists(sums)) {
            sections.add(new String[] {name, absent});
            problems.add(name + " " + absent);
            return;
        }
        List<String> found = Checksums.verify(folder, sums);
        if (found.isEmpty()) {
            files[0] += sumsCount(folder, sums);
            sections.add(new String[] {name, "intact"});
        } else {
            sections.add(new String[] {name, Checksums.summarise(found)});
            found.forEach(p -> problems.add(name + ": " + p));
        }
    }

    private static int sumsCount(RunFolder folder, String sums) {
        var m = Checksums.read(folder, sums);
        return m == null ? 0 : m.size();
    }

    /** The identities a run makes: one per reference (two with both_sides), from references.json and the config. */
    private static List<Identity> expectedIdentities(RunFolder folder, RunRecord runJson) {
        if (!folder.exists(RunLayout.REFERENCES_JSON)) {
            return null;
        }
        List<Integer> refs = folder.read(RunLayout.REFERENCES_JSON, ReferencesRecord.class).references();
        boolean bothSides = runJson.config() != null && runJson.config().sampling().twoSided();
        return Identity.of(refs == null ? List.of() : refs, bothSides);
    }


}
