package org.exfacegan.runner.cli;

import java.nio.file.Path;
import java.util.Locale;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.run.BoundaryExport;
import org.exfacegan.runner.run.BoundaryExport.Convention;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** A run's boundaries as the reference code's scripts read them. */
@Command(name = "export-boundaries", mixinStandardHelpOptions = true,
        description = {"Write a run's identity boundaries in the reference code's layout (fdbtrs/ExFaceGAN):",
            "boundaries/boundary_NNNNN.npy (1, dim) and w_latents/NNNNNNN.npy (or z_latents/), for its create_dataset.py",
            "(--boundary_dir, --latent_dir), with index.jsonl and export.json."})
final class ExportBoundariesCommand extends Subcommand {
    @Parameters(index = "0", paramLabel = "RUN_FOLDER", description = "a run folder whose boundary stage has finished")
    Path run;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "new (or empty) folder to write")
    Path out;

    @Option(names = "--convention", paramLabel = "NAME", converter = ConventionConverter.class,
            description = {"reference (default): normals point to the dissimilar side, as the reference code saves them "
                    + "(it samples w - u*n); exfacegan: to the similar side, as boundaries.npy (the negation)"})
    Convention convention = Convention.REFERENCE;

    @Override
    public Integer call() {
        BoundaryExport.Result r = BoundaryExport.export(run, out, convention);
        out().printf(Locale.ROOT, "exported %d boundaries (%d-d, %s space, %s convention: normals point to the %s side) to %s%n",
                r.boundaries(), r.dim(), r.space(), convention.jsonName(),
                convention.pointsTo(), r.folder());
        return Cli.OK;
    }

    /** Lower-case names on the command line. */
    static final class ConventionConverter implements picocli.CommandLine.ITypeConverter<Convention> {
        @Override
        public Convention convert(String value) {
            for (Convention c : Convention.values()) {
                if (c.jsonName().equals(value)) {
                    return c;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("unknown convention \"" + value + "\"; one of: "
                    + String.join(", ", Json.names(Convention.class)));
        }
    }
}
