package org.exfacegan.runner.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** The comparison table, one row per run: the same cells in the console's Markdown and in report.html. */
public final class ReportTable {
    private record Column(String header, Function<RunEvaluation, String> cell) {}

    private static final List<Column> COLUMNS = List.of(
            new Column("run", RunEvaluation::label),
            new Column("backbone", RunEvaluation::backbone),
            new Column("fitter", RunEvaluation::fitter),
            new Column("sampling", RunEvaluation::sampling),
            new Column("ids", r -> Integer.toString(r.metrics().identities())),
            new Column("images", r -> Integer.toString(r.metrics().images())),
            new Column("held-out acc mean/min", r -> f(r.metrics().boundaryHeldOutMean(), 3) + " / "
                    + f(r.metrics().boundaryHeldOutMin(), 3)),
            new Column("consistency", r -> f(r.metrics().consistencyMean(), 3)),
            new Column("genuine mean±sd", r -> f(r.metrics().genuine().mean(), 3) + "±" + f(r.metrics().genuine().std(), 3)),
            new Column("impostor mean±sd", r -> f(r.metrics().impostor().mean(), 3) + "±" + f(r.metrics().impostor().std(), 3)),
            new Column("EER", r -> f(r.metrics().eer(), 4)),
            new Column("FNMR@FMR=1e-2", r -> f(r.metrics().fnmrAtFmr1e2(), 4)),
            new Column("FNMR@FMR=1e-3", r -> f(r.metrics().fnmrAtFmr1e3(), 4)),
            new Column("FDR", r -> f(r.metrics().fdr(), 2)),
            new Column("d'", r -> f(r.metrics().dPrime(), 2)),
            new Column("diversity", r -> f(r.metrics().diversity(), 3)),
            new Column("look-alike", r -> r.metrics().lookalikePairs() + "/" + r.metrics().identityPairs()),
            new Column("rejected", r -> (r.metrics().probesRejected() + r.metrics().samplesRejectedFaces()) + " ("
                    + f(100 * r.metrics().rejectedRate(), 1) + "%)"),
            new Column("img/s", r -> f(r.metrics().imagesPerSecond(), 1)),
            new Column("bnd/s", r -> f(r.metrics().boundariesPerSecond(), 1)),
            new Column("outside", r -> outside(r.metrics().outOfDistributionShare())),
            new Column("GT ratio", r -> groundTruth(r.metrics().groundTruth(), "consistency_ratio")),
            new Column("GT nuisance", r -> groundTruth(r.metrics().groundTruth(), "nuisance_spread_ratio")));

    private ReportTable() {}

    public static List<String> headers() {
        return COLUMNS.stream().map(Column::header).toList();
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
        return f(100 * share, 1) + "%" + (share > org.exfacegan.runner.run.RunSummary.OUT_OF_DISTRIBUTION_WARNING ? " (!)" : "");
    }

    /** v with that many decimals; "n/a" for NaN, "inf" for infinities. */
    public static String f(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : (Double.isNaN(v) ? "n/a" : "inf");
    }
}
