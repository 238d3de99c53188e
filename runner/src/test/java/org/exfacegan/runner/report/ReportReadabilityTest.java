package org.exfacegan.runner.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.exfacegan.runner.cli.Cli;
import org.exfacegan.runner.config.CompareConfigLoader;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.io.Sha256;
import org.exfacegan.runner.layout.RunLayout;
import org.exfacegan.runner.progress.Progress;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report says what its figures mean: labels, which way is better, thresholds, hashes, times, rows. */
class ReportReadabilityTest {
    @TempDir
    Path dir;

    @Test
    void theReportExplainsItsFiguresAndCompareAndReportCountLookAlikesAlike() throws IOException {
        Path config = CompareTest.setUp(dir); // look-alike threshold 0.9
        Comparison.Result r = Comparison.run(new CompareConfigLoader(CompareTest.registry()).load(config),
                CompareTest.registry(), Progress.QUIET);
        String html = Files.readString(r.report());

        // full labels with better/worse arrows, and a legend stating the look-alike threshold
        assertTrue(html.contains("<th>equal error rate (EER) \u2193</th>"), html);
        assertTrue(html.contains("<th>identity consistency (cosine of a sample to its reference) \u2191</th>"), html);
        assertTrue(html.contains("<th>identities</th>"), "descriptive columns carry no arrow");
        assertFalse(html.contains("<th>bnd/s</th>") || html.contains("<th>GT ratio</th>"), "no abbreviations in the page");
        assertTrue(html.contains("\u2191 higher is better, \u2193 lower is better"), html);
        assertTrue(html.contains("embedding centres have a cosine above 0.90 "), html);

        // readable time, not an ISO instant with nanoseconds
        assertTrue(Pattern.compile("Generated \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC by exfacegan").matcher(html).find(), html);

        // the backbone model's hash beside the recogniser's
        String tinyHash = Sha256.of(dir.resolve("models/tiny.model")).substring(0, 12);
        Matcher prov = Pattern.compile("<table id=\"provenance\">.*?</table>", Pattern.DOTALL).matcher(html);
        assertTrue(prov.find());
        assertTrue(prov.group().contains("<th>backbone model SHA-256</th>"), prov.group());
        assertTrue(prov.group().contains("<td>tiny.model " + tinyHash + "</td><td>tiny-face"), prov.group());

        // the sampling guard for every run that measured it; ground truth under its labels
        assertTrue(html.contains("<table id=\"sampling-guard\">"), html);
        assertTrue(html.contains("<th>consistency ratio (samples / random) \u2193</th>"), html);

        // contact sheets: rows labelled (a copy with a margin of names; the run's own file unchanged)
        assertTrue(html.contains("rows: identities 00000 to 00005 (images/&lt;identity&gt;/); first column: the reference crop, "
                + "then samples 0000 to 0004"), html);
        BufferedImage file = ImageIO.read(dir.resolve("cmp/out/runs/svm").resolve(RunLayout.CONTACT_SHEET).toFile());
        BufferedImage shown = sheetShown(html, "svm");
        assertEquals(file.getWidth() + 64, shown.getWidth());
        assertEquals(file.getHeight() + 22, shown.getHeight());
        assertEquals(file.getRGB(file.getWidth() / 2, file.getHeight() / 2),
                shown.getRGB(64 + file.getWidth() / 2, 22 + file.getHeight() / 2), "the sheet itself is shown as written");

        // report on one of the comparison's runs, at the same threshold: the same look-alike count, by the same code
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(Cli.OK, Cli.execute(new PrintWriter(out), new PrintWriter(err), "-q", "--plugins", "no-plugins-folder",
                "report", dir.resolve("cmp/out/runs/svm").toString(), "--lookalike-threshold", "0.9"), err.toString());
        JsonNode compared = run(Json.MAPPER.readTree(r.json().toFile()), "svm");
        JsonNode reported = Json.MAPPER.readTree(dir.resolve("cmp/out/runs/svm/report/report.json").toFile()).get("runs").get(0);
        for (String field : List.of("lookalike_threshold", "lookalike_pairs", "identity_pairs")) {
            assertEquals(compared.get("metrics").get(field), reported.get("metrics").get(field), field);
        }
    }

    @Test
    void detAxesStartAtTheSmallestRateThePairsResolveAndNoPointLiesBelow() throws IOException {
        Path config = CompareTest.setUp(dir);
        Comparison.Result r = Comparison.run(new CompareConfigLoader(CompareTest.registry()).load(config),
                CompareTest.registry(), Progress.QUIET);
        List<RunEvaluation> runs = r.runs();
        long impostors = runs.stream().mapToLong(e -> e.scores().impostor().length).max().orElseThrow();
        long genuines = runs.stream().mapToLong(e -> e.scores().genuine().length).max().orElseThrow();
        double[] floors = Charts.detFloors(runs);
        assertEquals(1.0 / impostors, floors[0], 1e-15);
        assertEquals(1.0 / genuines, floors[1], 1e-15);
        XYSeriesCollection ds = Charts.detSeries(runs);
        int points = 0;
        for (int s = 0; s < ds.getSeriesCount(); s++) {
            XYSeries series = ds.getSeries(s);
            RunEvaluation run = runs.get(s);
            for (int k = 0; k < series.getItemCount(); k++) {
                double fmr = series.getX(k).doubleValue();
                double fnmr = series.getY(k).doubleValue();
                // no point below what its own pair counts measure (so none below the axes either)
                assertTrue(fmr >= 1.0 / run.scores().impostor().length - 1e-15, "FMR " + fmr);
                assertTrue(fnmr >= 1.0 / run.scores().genuine().length - 1e-15, "FNMR " + fnmr);
                points++;
            }
        }
        assertTrue(points > 3, "curves drawn: " + points + " points");
        assertFalse(HtmlReport.DIVERSITY_BARS.stream().anyMatch(b -> b.contains("EER") || b.contains("error")),
                "no error rate on the diversity axis: " + HtmlReport.DIVERSITY_BARS);
    }

    private static JsonNode run(JsonNode results, String label) {
        for (JsonNode run : results.get("runs")) {
            if (run.get("label").asText().equals(label)) {
                return run;
            }
        }
        throw new AssertionError("no run " + label);
    }

    private static BufferedImage sheetShown(String html, String label) throws IOException {
        Matcher m = Pattern.compile("alt=\"contact sheet of " + Pattern.quote(label) + ";[^\"]*\" src=\"data:image/png;base64,([^\"]+)\"")
                .matcher(html);
        assertTrue(m.find(), "no contact sheet of " + label);
        return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
    }
}
