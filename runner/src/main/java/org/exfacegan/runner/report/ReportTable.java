package org.exfacegan.runner.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** The comparison table, one row per run: the same cells in the console's Markdown and in report.html. */
public final class ReportTable {
    /** Which way a column's figure is better, shown in report.html as an arrow after its label. */
    public enum Better {
        HIGHER(" \u2191"), LOWER(" \u2193"), NEITHER("");

        final String arrow;

        Better(String arrow) {
            this.arrow = arrow;
        }
    }

    /**
     * @param header the console's short header
     * @param label  report.html's full label
     * @param better which way the figure is better
     */
    private record Column(String header, String label, Better better, Function<RunEvaluation, String> cell) {}

    private static final List<Column> COLUMNS = List.of(
            new Column("run", "run", Better.NEITHER, RunEvaluation::label),
            new Column("backbone", "backbone", Better.NEITHER, RunEvaluation::backbone),
            new Column("fitter", "boundary fitter", Better.NEITHER, r -> r.fitter().jsonName()),
            new Column("sampling", "sampling mode", Better.NEITHER, r -> r.sampling().jsonName()),
            new Column("ids", "identities", Better.NEITHER, r -> Integer.toString(r.metrics().identities())),
            new Column("images", "images", Better.NEITHER, r -> Integer.toString(r.metrics().images())),
            new Column("held-out acc mean/min", "boundary held-out accuracy, mean / min", Better.HIGHER,
                    r -> f(r.metrics().boundaryHeldOutMean(), 3) + " / " + f(r.metrics().boundaryHeldOutMin(), 3)),
            new Column("consistency", "identity consistency (cosine of a sample to its reference)", Better.HIGHER,
                    r -> f(r.metrics().consistencyMean(), 3)),
            new Column("genuine mean±sd", "genuine scores, mean ± sd", Better.HIGHER,
                    r -> f(r.metrics().genuine().mean(), 3) + "±" + f(r.metrics().genuine().std(), 3)),
            new Column("impostor mean±sd", "impostor scores, mean ± sd", Better.LOWER,
                    r -> f(r.metrics().impostor().mean(), 3) + "±" + f(r.metrics().impostor().std(), 3)),
            new Column("EER", "equal error rate (EER)", Better.LOWER, r -> f(r.metrics().eer(), 4)),
            new Column("FNMR@FMR=1e-2", "false non-match rate at false match rate 1e-2", Better.LOWER,
                    r -> f(r.metrics().fnmrAtFmr1e2(), 4)),
            new Column("FNMR@FMR=1e-3", "false non-match rate at false match rate 1e-3", Better.LOWER,
                    r -> f(r.metrics().fnmrAtFmr1e3(), 4)),
            new Column("FDR", "Fisher discriminant ratio (FDR)", Better.HIGHER, r -> f(r.metrics().fdr(), 2)),
            new Column("d'", "decidability d'", Better.HIGHER, r -> f(r.metrics().dPrime(), 2)),
            new Column("diversity", "intra-identity diversity (1 - mean cosine within an identity)", Better.HIGHER,
                    r -> f(r.metrics().diversity(), 3)),
            new Column("look-alike", "look-alike identity pairs / all pairs", Better.LOWER,
                    r -> r.metrics().lookalikePairs() + "/" + r.metrics().identityPairs()),
            new Column("rejected", "faces rejected by the recogniser (probes and samples)", Better.LOWER,
                    r -> (r.metrics().probesRejected() + r.metrics().samplesRejectedFaces()) + " ("
                    + f(100 * r.metrics().rejectedRate(), 1) + "%)"),
            new Column("img/s", "images written per second", Better.HIGHER, r -> f(r.metrics().imagesPerSecond(), 1)),
            new Column("bnd/s", "boundaries fitted per second", Better.HIGHER, r -> f(r.metrics().boundariesPerSecond(), 1)),
            new Column("outside", "samples outside the probe distribution (in distribution: about 1%)", Better.LOWER,
                    r -> outside(r.metrics().outOfDistributionShare())),
            new Column("GT ratio", "ground truth: identity distance of samples / of random latents", Better.LOWER,
                    r -> groundTruth(r.metrics().groundTruth(), "consistency_ratio")),
            new Column("GT nuisance", "ground truth: nuisance spread within an identity / between random latents", Better.HIGHER,
                    r -> groundTruth(r.metrics().groundTruth(), "nuisance_spread_ratio")));

    private ReportTable() {}

    public static List<String> headers() {
        return COLUMNS.stream().map(Column::header).toList();
    }

    /** report.html's column labels: the full name, and an arrow where higher (\u2191) or lower (\u2193) is better. */
    public static List<String> labels() {
        return COLUMNS.stream().map(c -> c.label() + c.better().arrow).toList();
    }

    public static List<List<String>> rows(List<RunEvaluation> runs) {
        List<List<String>> out = new ArrayList<>();
        for (RunEvaluation r : runs) {
            out.add(COLUMNS.stream().map(c -> c.cell().apply(r)).toList());
        }
        return out;
    }

    /** A GitHub-flavoured Markdown table. */
    public static String markdown(List<RunEvaluation> runs) {
        return markdown(headers(), rows(runs));
    }

    /** A GitHub-flavoured Markdown table of these cells ("|" in a cell escaped). */
    public static String markdown(List<String> headers, List<List<String>> rows) {
        StringBuilder b = new StringBuilder();
        line(b, headers);
        line(b, headers.stream().map(h -> "---").toList());
        rows.forEach(r -> line(b, r));
        return b.toString();
    }

    private static void line(StringBuilder b, List<String> cells) {
        b.append('|');
        for (String c : cells) {
            b.append(' ').append(c.replace("|", "\\|")).append(" |");
        }
        b.append('\n');
    }

    /**
     * A ground-truth ratio, or n/a: consistency (true-identity distance of samples / of random latents) or
     * nuisance spread (nuisance distance within an identity / between random latents).
     */
    private static String groundTruth(Map<String, Double> g, String key) {
        return g == null || g.get(key) == null ? "n/a" : f(g.get(key), 3);
    }

    /** Share of samples outside the probe distribution, marked "(!)" above the warning level. */
    static String outside(double share) {
        if (Double.isNaN(share)) {
            return "n/a";
        }
        return f(100 * share, 1) + "%" + (share > org.exfacegan.runner.layout.RunSummary.OUT_OF_DISTRIBUTION_WARNING ? " (!)" : "");
    }

    /** v with that many decimals; "n/a" for NaN, "inf" for infinities. */
    public static String f(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : (Double.isNaN(v) ? "n/a" : "inf");
    }
}
