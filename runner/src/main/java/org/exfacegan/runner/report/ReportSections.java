package org.exfacegan.runner.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.exfacegan.runner.layout.RunLayout;
import org.exfacegan.runner.layout.RunRecord;
import org.exfacegan.runner.run.ContactSheet;
import org.exfacegan.runner.run.Identity;

/**
 * Parts of report.html that explain the figures: the table's legend (which way is better, the
 * look-alike threshold), the sampling guard and ground truth where a run has them, provenance with
 * both models' hashes, and contact sheets with their rows labelled.
 */
final class ReportSections {
    private static final DateTimeFormatter READABLE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private ReportSections() {}

    /** A moment as people read it: "2025-11-29 21:19:03 UTC". */
    static String readable(Instant t) {
        return READABLE.format(t);
    }

    /** Under the metrics table: the arrows, the look-alike threshold the counts were made with. */
    static void legend(StringBuilder b, List<RunEvaluation> runs) {
        b.append("<p class=\"legend\">\u2191 higher is better, \u2193 lower is better; unmarked columns describe the run. ")
                .append("Look-alike identity pairs: two identities whose embedding centres have a cosine above ");
        TreeSet<String> thresholds = new TreeSet<>();
        runs.forEach(r -> thresholds.add(ReportTable.f(r.metrics().lookalikeThreshold(), 2)));
        b.append(HtmlReport.esc(String.join(", ", thresholds)))
                .append(" (<code>lookalike_threshold</code> of the compare config, <code>--lookalike-threshold</code> of ")
                .append("<code>report</code>; the same computation in both). Definitions: <code>docs/metrics.md</code>.</p>\n");
    }

    /** The in-distribution guard of every run that measured it, not only of those above the warning level. */
    static void samplingGuard(StringBuilder b, List<RunEvaluation> runs) {
        List<RunEvaluation> measured = runs.stream().filter(r -> !Double.isNaN(r.metrics().outOfDistributionShare())).toList();
        if (measured.isEmpty()) {
            return;
        }
        b.append("<h3>Sampling guard</h3>\n<p>Share of sample candidates whose latent lies outside the probe latents' 99th ")
                .append("percentile of Mahalanobis distance: about 1% when samples are drawn like the probes; above ")
                .append(ReportTable.f(100 * org.exfacegan.runner.layout.RunSummary.OUT_OF_DISTRIBUTION_WARNING, 0))
                .append("% the run warns (faces turn into caricatures).</p>\n<table id=\"sampling-guard\"><tr><th>run</th>")
                .append("<th>samples outside \u2193</th></tr>\n");
        for (RunEvaluation r : measured) {
            b.append("<tr><td>").append(HtmlReport.esc(r.label())).append("</td><td>")
                    .append(HtmlReport.esc(ReportTable.outside(r.metrics().outOfDistributionShare()))).append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    /** Ground-truth keys of summary.json as the report labels them. */
    static String groundTruthLabel(String key) {
        return switch (key) {
            case "true_identity_distance_samples" -> "true-identity distance, sample to reference \u2193";
            case "true_identity_distance_random" -> "true-identity distance, random latent to reference";
            case "consistency_ratio" -> "consistency ratio (samples / random) \u2193";
            case "true_identity_distance_between_identities" -> "true-identity distance between identities \u2191";
            case "separation_ratio" -> "separation ratio (between / within) \u2191";
            case "nuisance_spread_samples" -> "nuisance spread within an identity \u2191";
            case "nuisance_spread_random" -> "nuisance spread between random latents";
            case "nuisance_spread_ratio" -> "nuisance spread ratio (within / random) \u2191";
            default -> key;
        };
    }

    /** Who made each run, with what: plugins and both models' SHA-256. */
    static void provenance(StringBuilder b, List<RunEvaluation> runs) {
        b.append("<h2>Provenance</h2>\n<div class=\"wide\"><table id=\"provenance\"><tr><th>run</th><th>folder</th>")
                .append("<th>config hash</th><th>seed</th><th>backbone plugin</th><th>backbone model SHA-256</th>")
                .append("<th>recogniser plugin</th><th>recogniser model SHA-256</th><th>JVM</th></tr>\n");
        for (RunEvaluation r : runs) {
            RunRecord p = r.provenance();
            cells(b, r.label(), r.folder(), abbrev(text(p.configHash())), p.seed() == null ? "" : p.seed().toString(),
                    plugin(p.backbone()), modelHashes(p.backbone()), plugin(p.recognizer()), modelHashes(p.recognizer()),
                    p.jvm() == null ? "" : text(p.jvm().version()));
        }
        b.append("</table></div>\n<p>SHA-256 shortened to 12 digits; the full ones are in each run's <code>run.json</code> ")
                .append("and in <code>compare.json</code> / <code>report.json</code>.</p>\n");
    }

    private static void cells(StringBuilder b, String... cells) {
        b.append("<tr>");
        for (String c : cells) {
            b.append("<td>").append(HtmlReport.esc(c)).append("</td>");
        }
        b.append("</tr>\n");
    }

    private static String plugin(RunRecord.Component c) {
        return c == null ? "" : text(c.provider()) + " " + text(c.version());
    }

    private static String modelHashes(RunRecord.Component c) {
        List<String> out = new ArrayList<>();
        if (c != null && c.modelFiles() != null) {
            c.modelFiles().forEach((file, sha) -> out.add(Path.of(file).getFileName() + " " + abbrev(sha)));
        }
        return String.join(", ", out);
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    private static String abbrev(String hash) {
        return hash.length() > 12 ? hash.substring(0, 12) : hash;
    }

    /** What a run's contact sheet shows, for its caption. */
    static String contactSheetCaption(RunEvaluation r) {
        int rows = Math.min(r.provenance().config().dataset().contactSheet(), r.metrics().identities());
        return "rows: identities " + Identity.name(0) + (rows > 1 ? " to " + Identity.name(rows - 1) : "") + " (" + RunLayout.IMAGES
                + "/<identity>/); first column: the reference crop, then " + samplesShown(r);
    }

    /** The sample columns of a run's contact sheet: its first images, as many as the sheet has columns. */
    static String samplesShown(RunEvaluation r) {
        int shown = Math.min(ContactSheet.COLUMNS, r.provenance().config().samplesPerIdentity());
        return shown == 1 ? "sample 0000" : "samples 0000 to " + String.format("%04d", shown - 1);
    }

    /**
     * The contact sheet with each row's identity written beside it and the columns named above: the
     * run's own file stays as it was written (it is checksummed); the report shows this copy.
     */
    static byte[] labelledContactSheet(byte[] png, RunEvaluation run) {
        int identities = run.metrics().identities();
        BufferedImage sheet;
        try {
            sheet = ImageIO.read(new ByteArrayInputStream(png));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (sheet == null) {
            return png; // not an image we can read: shown as it is
        }
        int left = 64;
        int top = 22;
        int step = ContactSheet.CELL + ContactSheet.GAP;
        BufferedImage out = new BufferedImage(sheet.getWidth() + left, sheet.getHeight() + top, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.drawImage(sheet, left, top, null);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString("reference", left + ContactSheet.GAP + 20, 16);
        g.drawString(samplesShown(run), left + ContactSheet.GAP + step + 20, 16);
        int rows = Math.min(identities, (sheet.getHeight() - ContactSheet.GAP) / step);
        for (int r = 0; r < rows; r++) {
            g.drawString(Identity.name(r), 8, top + ContactSheet.GAP + r * step + ContactSheet.CELL / 2 + 5);
        }
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(out, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Ground truth keys present in any run. */
    static TreeSet<String> groundTruthKeys(List<RunEvaluation> runs) {
        TreeSet<String> keys = new TreeSet<>();
        for (RunEvaluation r : runs) {
            Map<String, Double> g = r.metrics().groundTruth();
            if (g != null) {
                keys.addAll(g.keySet());
            }
        }
        return keys;
    }
}
