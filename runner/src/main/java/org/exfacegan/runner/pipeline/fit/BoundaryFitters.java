package org.exfacegan.runner.pipeline.fit;

import java.util.List;
import org.exfacegan.api.ExfaceganException;

/** The fitters by name. */
public final class BoundaryFitters {
    public static final String DEFAULT = "least-squares";
    public static final List<String> NAMES = List.of("least-squares", "svm", "paper");

    private BoundaryFitters() {}

    public static BoundaryFitter create(String name, FitOptions options) {
        return switch (name) {
            case "least-squares" -> new LeastSquaresFitter(options);
            case "svm" -> new SvmFitter(options);
            case "paper" -> new PaperFitter(options);
            default -> throw new ExfaceganException("unknown boundary fitter '" + name + "'; available: "
                    + String.join(", ", NAMES));
        };
    }
}
