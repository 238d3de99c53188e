package org.exfacegan.runner.run;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.config.DatasetConfig;
import org.exfacegan.runner.dataset.ImageFiles;
import org.exfacegan.runner.dataset.Jpeg;
import org.exfacegan.runner.dataset.Png;
import org.exfacegan.runner.dataset.RecordIoWriter;

/**
 * insightface's {@code train.rec}, {@code train.idx} and {@code property} from the identity folders a
 * run wrote, identities in order, streamed: memory holds one image at a time however large the dataset.
 * Written to temporary files and renamed into place (forced to disk first), so a killed finish stage
 * leaves the old files or none, and the next run writes them again.
 */
public final class RecordIoFiles {
    static final String REC = "train.rec";
    static final String IDX = "train.idx";
    static final String PROPERTY = "property";

    private RecordIoFiles() {}

    public static void write(RunFolder folder, List<Identity> identities, DatasetConfig dataset) {
        Path rec = folder.resolve("." + REC + ".tmp");
        Path idx = folder.resolve("." + IDX + ".tmp");
        String property;
        int size = 0;
        try (RecordIoWriter writer = new RecordIoWriter(rec, idx);
             Jpeg jpeg = dataset.recordioJpeg() ? new Jpeg(dataset.jpegQualityOrDefault()) : null) {
            for (int c = 0; c < identities.size(); c++) {
                Path dir = folder.resolve(SampleStage.IMAGES + "/" + identities.get(c).name());
                List<Path> files;
                try (var list = Files.list(dir)) {
                    files = list.filter(p -> p.getFileName().toString().endsWith(".png")).sorted().toList();
                }
                for (Path p : files) {
                    byte[] png = Files.readAllBytes(p);
                    BufferedImage decoded = size == 0 || dataset.recordioJpeg() ? decode(p) : null;
                    if (size == 0) {
                        size = decoded.getWidth();
                    }
                    writer.add(c, jpeg != null ? jpeg.encode(decoded) : png);
                }
            }
            property = writer.finish(identities.size(), size);
        } catch (IOException e) {
            deleteQuietly(rec, idx);
            throw new ExfaceganException("cannot write RecordIO (" + REC + ") in " + folder.root() + ": " + RunFolder.describe(e), e);
        } catch (RuntimeException e) {
            deleteQuietly(rec, idx);
            throw e;
        }
        try {
            RunFolder.moveAtomically(rec, folder.resolve(REC));
            RunFolder.moveAtomically(idx, folder.resolve(IDX));
        } catch (IOException e) {
            deleteQuietly(rec, idx);
            throw new ExfaceganException("cannot move RecordIO files into " + folder.root() + ": " + RunFolder.describe(e), e);
        }
        folder.writeAtomically(PROPERTY, property);
    }

    /** An image of the dataset, as javax.imageio reads it (size-checked). */
    private static BufferedImage decode(Path png) {
        return Png.toImage(ImageFiles.read(png), 0);
    }

    private static void deleteQuietly(Path... files) {
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // a temporary file: the next run's folder clean-up removes it
            }
        }
    }
}
