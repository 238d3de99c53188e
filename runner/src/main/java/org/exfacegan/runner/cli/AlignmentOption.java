package org.exfacegan.runner.cli;

import picocli.CommandLine.Option;

/** --aligned / --no-aligned of the commands that embed image files (see {@link RecognizerTool#embed}). */
final class AlignmentOption {
    @Option(names = "--aligned", negatable = true, description = {"--aligned: the images are aligned crops (a run's "
            + "images/ and references/), embedded as they are; --no-aligned: whole images, aligned by the recognizer.",
        "Default: an image of the recognizer's input size (112x112 for ArcFace) is taken as a crop, with a note; "
            + "any other is aligned."})
    Boolean aligned;
}
