package org.exfacegan.runner.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where a run's output folder really is, and that it stays apart from the models it reads. */
final class OutputPlace {
    private OutputPlace() {}

    /** The real path of {@code p}: its deepest existing ancestor with links resolved, then the rest as written. */
    static Path real(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(abs)).normalize();
        } catch (IOException e) {
            return abs;
        }
    }

    /**
     * Refuses an output folder that is, holds or lies inside a model's folder (for a descriptor, its
     * whole folder is the model), or that holds a model file: the run's files would be hashed as
     * model files (so it could never resume), and a restart would delete the model.
     */
    static void checkApartFromModels(Path file, Path output, List<Path> models) {
        Path out = real(output);
        for (Path model : models) {
            Path realModel = real(model);
            if (ConfigLoader.isDescriptor(model)) {
                Path folder = realModel.getParent();
                if (folder != null && out.startsWith(folder)) {
                    throw ConfigLoader.fieldError(file, "/output", "the output folder " + output + (out.equals(folder) ? " is"
                            : " is inside") + " the folder of the model " + model + ", whose files are all part of the model; "
                            + "choose an output folder outside it");
                }
            }
            if (realModel.startsWith(out)) {
                throw ConfigLoader.fieldError(file, "/output", "the output folder " + output + " holds the model " + model
                        + "; a run's folder holds only what the run writes: choose another output folder");
            }
        }
    }
}
