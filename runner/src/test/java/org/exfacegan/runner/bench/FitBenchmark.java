package org.exfacegan.runner.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;
import org.exfacegan.npy.Npy;
import org.exfacegan.runner.pipeline.fit.Boundaries;
import org.exfacegan.runner.pipeline.fit.BoundaryFitters;
import org.exfacegan.runner.pipeline.fit.FitOptions;
import org.exfacegan.runner.pipeline.fit.FitProblem;
import org.exfacegan.runner.pipeline.fit.Liblinear;
import org.exfacegan.runner.pipeline.fit.SyntheticWorld;
import org.exfacegan.runner.pipeline.label.LabelSet;
import org.exfacegan.runner.pipeline.label.Split;
import org.exfacegan.runner.pipeline.linalg.Gemm;

/**
 * Boundary fitting at paper size (4,998 probes: 3,498 train x 512 dims, 1,500 held out):
 * least-squares / svm / LIBLINEAR at 100 references, least-squares at 5,000, and the same
 * batched least squares in NumPy (this machine's python3), in one run, printed as ratios.
 * Args: [liblinearRefs=100] [svmRefs=100] [liblinearDefaultEpsRefs=20]. Run with --add-modules
 * jdk.incubator.vector. The bench module (BENCHMARKS.md) calls {@link #run} and checks its targets.
 */
public final class FitBenchmark {
    static final int PROBES = 4998, DIM = 512, REFS = 5000;

    /**
     * The figures the benchmark targets are checked on: seconds for all 5,000 least-squares boundaries
     * (with train accuracy, as the pipeline runs it; and held-out only, the same work as the NumPy
     * script), NumPy's best (float64, float32; NaN without python3), per-reference seconds, and
     * agreement with LIBLINEAR over its references.
     */
    public record Result(double ls5k, double ls5kHeldOnly, double numpy64, double numpy32, double lsPerRefSmall,
            double svmPerRef, double liblinearPerRef, double liblinearDefaultEpsPerRef, int smallRefs, int liblinearRefs,
            Agreement leastSquares, Agreement svm) {
        public double numpyBest() {
            return Math.min(numpy64, numpy32);
        }
    }

    /** Mean and minimum cosine of normals, mean and max |difference| of held-out accuracy in points. */
    public record Agreement(double cosMean, double cosMin, double accDiffMean, double accDiffAbsMax) {}

    public static void main(String[] args) throws Exception {
        run(args.length > 0 ? Integer.parseInt(args[0]) : 100, args.length > 1 ? Integer.parseInt(args[1]) : 100,
                args.length > 2 ? Integer.parseInt(args[2]) : 20);
    }

    public static Result run(int llRefs, int smallRefs, int llDefaultRefs) throws Exception {
        System.out.printf("JVM %s, %d cpus, vector GEMM %s%n", Runtime.version(), Runtime.getRuntime().availableProcessors(), Gemm.vectorized());
        long t0 = System.nanoTime();
        SyntheticWorld world = SyntheticWorld.embedded(1, PROBES, DIM, REFS, 64, 0.35);
        System.out.printf("world: %d probes x %d dims, %d references (%.1f s to build)%n", PROBES, DIM, REFS, (System.nanoTime() - t0) / 1e9);
        FitProblem all = world.problem(7);
        FitProblem small = new FitProblem(world.latents, DIM, world.labels.head(smallRefs), 0.7, 7);
        Split split = all.sharedSplit();
        System.out.printf("train %d x %d, held-out %d%n", split.train().length, DIM, split.heldOut().length);

        FitOptions opt = FitOptions.DEFAULTS;
        FitOptions heldOnly = opt.withEvaluateTrain(false);
        Timed<Boundaries> ls100 = time(() -> BoundaryFitters.create("least-squares", opt).fit(small), 5);
        Timed<Boundaries> ls5k = time(() -> BoundaryFitters.create("least-squares", opt).fit(all), 3);
        Timed<Boundaries> ls5kHeld = time(() -> BoundaryFitters.create("least-squares", heldOnly).fit(all), 3);
        Timed<Boundaries> svm = time(() -> BoundaryFitters.create("svm", opt).fit(small), 1);
        Timed<Boundaries> paper = time(() -> BoundaryFitters.create("paper", opt).fit(small), 0);

        // LIBLINEAR, one reference after another on one thread, same rows and labels as svm
        int[] train = split.train(), held = split.heldOut();
        double[][] ll = new double[llRefs][];
        long l0 = System.nanoTime();
        for (int r = 0; r < llRefs; r++) {
            final int ref = r;
            int[] rows = Arrays.stream(train).filter(i -> world.labels.side(ref, i) != 0).toArray();
            byte[] y = new byte[rows.length];
            for (int k = 0; k < rows.length; k++) {
                y[k] = world.labels.side(r, rows[k]);
            }
            ll[r] = Liblinear.train(world.latents, DIM, rows, y, null, null, 1.0, opt.tolerance());
        }
        double llPerRef = (System.nanoTime() - l0) / 1e9 / llRefs;
        // LIBLINEAR's own default tolerance (0.01) for comparison with figures measured that way
        int llFast = Math.min(llRefs, llDefaultRefs);
        long f0 = System.nanoTime();
        for (int r = 0; r < llFast; r++) {
            final int ref = r;
            int[] rows = Arrays.stream(train).filter(i -> world.labels.side(ref, i) != 0).toArray();
            byte[] y = new byte[rows.length];
            for (int k = 0; k < rows.length; k++) {
                y[k] = world.labels.side(r, rows[k]);
            }
            Liblinear.train(world.latents, DIM, rows, y, null, null, 1.0, 0.01);
        }
        double llFastPerRef = (System.nanoTime() - f0) / 1e9 / llFast;

        System.out.printf("%nfit times (best of runs; wall clock, all threads)%n");
        System.out.printf("  least-squares  %5d refs: %8.3f s  = %8.3f ms/ref (incl. held-out + train accuracy)%n", smallRefs, ls100.s, ls100.s * 1e3 / smallRefs);
        System.out.printf("  least-squares  %5d refs: %8.3f s  = %8.3f ms/ref (incl. held-out + train accuracy; first, cold-JIT run %.3f s)%n", REFS, ls5k.s, ls5k.s * 1e3 / REFS, ls5k.first);
        System.out.printf("  least-squares  %5d refs: %8.3f s  = %8.3f ms/ref (held-out accuracy only)%n", REFS, ls5kHeld.s, ls5kHeld.s * 1e3 / REFS);
        System.out.printf("  svm            %5d refs: %8.3f s  = %8.3f ms/ref%n", smallRefs, svm.s, svm.s * 1e3 / smallRefs);
        System.out.printf("  paper          %5d refs: %8.3f s  = %8.3f ms/ref%n", smallRefs, paper.s, paper.s * 1e3 / smallRefs);
        System.out.printf("  LIBLINEAR      %5d refs: %8.3f s  = %8.3f ms/ref (1 thread, eps %.0e as scikit-learn's LinearSVC)%n", llRefs, llPerRef * llRefs, llPerRef * 1e3, opt.tolerance());
        System.out.printf("  LIBLINEAR      %5d refs: %8.3f s  = %8.3f ms/ref (1 thread, eps 0.01, LIBLINEAR's default)%n", llFast, llFastPerRef * llFast, llFastPerRef * 1e3);

        double[] np = numpy(world, all, split);

        System.out.printf("%nratios%n");
        System.out.printf("  LIBLINEAR per ref / least-squares per ref at %d refs: %8.0fx%n", smallRefs, llPerRef / (ls100.s / smallRefs));
        System.out.printf("  LIBLINEAR per ref / least-squares per ref at %d refs: %8.0fx%n", REFS, llPerRef / (ls5k.s / REFS));
        System.out.printf("  LIBLINEAR per ref / svm per ref at %d refs:           %8.1fx%n", smallRefs, llPerRef / (svm.s / smallRefs));
        System.out.printf("  LIBLINEAR (eps 0.01) per ref / least-squares per ref at %d refs: %8.0fx%n", smallRefs, llFastPerRef / (ls100.s / smallRefs));
        if (np != null) {
            System.out.printf("  least-squares %d refs (held-out only) / NumPy float64: %.2f   / NumPy float32: %.2f%n", REFS, ls5kHeld.s / np[0], ls5kHeld.s / np[1]);
            System.out.printf("  least-squares %d refs (with train acc) / NumPy float64: %.2f%n", REFS, ls5k.s / np[0]);
        }

        System.out.printf("%nagreement with LIBLINEAR over %d references (normals' cosine; held-out accuracy, points)%n", llRefs);
        Agreement lsAgree = compare("least-squares", ls100.value, ll, world, held, llRefs);
        Agreement svmAgree = compare("svm", svm.value, ll, world, held, llRefs);
        System.out.printf("  paper mode held-out accuracy (its own per-reference scaled split): mean %.2f%%; normal . LIBLINEAR raw normal: mean %.3f%n",
                100 * paper.value.meanHeldOutAccuracy(), meanCos(paper.value, ll, llRefs));
        System.out.printf("  least-squares %d refs: mean held-out %.2f%%, mean train %.2f%%%n", REFS, 100 * ls5k.value.meanHeldOutAccuracy(), 100 * ls5k.value.meanTrainAccuracy());
        return new Result(ls5k.s, ls5kHeld.s, np == null ? Double.NaN : np[0], np == null ? Double.NaN : np[1],
                ls100.s / smallRefs, svm.s / smallRefs, llPerRef, llFastPerRef, smallRefs, llRefs, lsAgree, svmAgree);
    }

    /** Best time of the runs after the first, and the first (cold JIT) run's time. */
    record Timed<T>(T value, double s, double first) {}

    static <T> Timed<T> time(Supplier<T> f, int runs) {
        T v = null;
        double best = Double.MAX_VALUE, first = 0;
        for (int i = 0; i < runs + 1; i++) { // first run warms the JIT
            long t = System.nanoTime();
            v = f.get();
            double s = (System.nanoTime() - t) / 1e9;
            if (i == 0) {
                first = s;
            }
            if (i > 0 || runs == 0) {
                best = Math.min(best, s);
            }
        }
        return new Timed<>(v, best, first);
    }

    static double meanCos(Boundaries b, double[][] ll, int refs) {
        double s = 0;
        for (int r = 0; r < refs; r++) {
            s += cos(b, r, ll[r]);
        }
        return s / refs;
    }

    static double cos(Boundaries b, int r, double[] w) {
        double ab = 0, bb = 0;
        for (int j = 0; j < b.dim(); j++) {
            ab += b.normals()[r * b.dim() + j] * w[j];
            bb += w[j] * w[j];
        }
        return ab / Math.sqrt(bb);
    }

    static Agreement compare(String name, Boundaries b, double[][] ll, SyntheticWorld world, int[] held, int refs) {
        double cosSum = 0, cosMin = 1, diffSum = 0, diffAbsMax = 0, accSum = 0, llAccSum = 0;
        for (int r = 0; r < refs; r++) {
            double c = cos(b, r, ll[r]);
            cosSum += c;
            cosMin = Math.min(cosMin, c);
            int ok = 0, n = 0;
            for (int i : held) {
                byte s = world.labels.side(r, i);
                if (s == 0) {
                    continue;
                }
                n++;
                double v = ll[r][DIM];
                for (int j = 0; j < DIM; j++) {
                    v += ll[r][j] * world.latents[i * DIM + j];
                }
                if ((v > 0) == (s > 0)) {
                    ok++;
                }
            }
            double llAcc = (double) ok / n;
            double diff = 100 * (b.heldOutAccuracy()[r] - llAcc);
            diffSum += diff;
            diffAbsMax = Math.max(diffAbsMax, Math.abs(diff));
            accSum += b.heldOutAccuracy()[r];
            llAccSum += llAcc;
        }
        System.out.printf("  %-14s cosine mean %.4f min %.4f | held-out %.2f%% vs LIBLINEAR %.2f%%: mean diff %+.2f, max |diff| %.2f points%n",
                name, cosSum / refs, cosMin, 100 * accSum / refs, 100 * llAccSum / refs, diffSum / refs, diffAbsMax);
        return new Agreement(cosSum / refs, cosMin, diffSum / refs, diffAbsMax);
    }

    /** Same batched least squares in NumPy; returns best seconds {float64, float32} or null. */
    static double[] numpy(SyntheticWorld world, FitProblem p, Split split) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("fitbench");
        try {
            int[] train = split.train(), held = split.heldOut();
            float[] xt = gather(world.latents, train), xh = gather(world.latents, held);
            LabelSet labels = p.labels();
            float[] y = new float[REFS * train.length];
            for (int r = 0; r < REFS; r++) {
                int pos = 0, neg = 0;
                for (int i : train) {
                    pos += labels.side(r, i) > 0 ? 1 : 0;
                    neg += labels.side(r, i) < 0 ? 1 : 0;
                }
                for (int k = 0; k < train.length; k++) {
                    byte s = labels.side(r, train[k]);
                    y[r * train.length + k] = s > 0 ? (pos + neg) / (2f * pos) : s < 0 ? -(pos + neg) / (2f * neg) : 0f;
                }
            }
            Npy.write(dir.resolve("xt.npy"), xt, train.length, DIM);
            Npy.write(dir.resolve("xh.npy"), xh, held.length, DIM);
            Npy.write(dir.resolve("y.npy"), y, REFS, train.length);
            Path script = dir.resolve("ls.py");
            Files.writeString(script, String.join("\n",
                    "import sys, time, numpy as np",
                    "d = sys.argv[1]",
                    "X0 = np.load(d + '/xt.npy'); Y0 = np.load(d + '/y.npy'); H0 = np.load(d + '/xh.npy')",
                    "for dt in (np.float64, np.float32):",
                    "    X, Y, H = X0.astype(dt), Y0.astype(dt), H0.astype(dt)",
                    "    best = 1e9",
                    "    for rep in range(4):",
                    "        t = time.perf_counter()",
                    "        mu = X.mean(axis=0); Xc = X - mu",
                    "        G = Xc.T @ Xc; G[np.diag_indices_from(G)] += 1e-3 * np.trace(G) / G.shape[0]",
                    "        L = np.linalg.cholesky(G)",
                    "        C = X.T @ Y.T",
                    "        W = np.linalg.solve(G, C)",
                    "        b = -(mu @ W)",
                    "        S = H @ W + b",
                    "        best = min(best, time.perf_counter() - t)",
                    "    print('%s %.4f' % (np.dtype(dt).name, best))",
                    ""));
            ProcessBuilder pb = new ProcessBuilder("python3", script.toString(), dir.toString()).redirectErrorStream(true);
            pb.environment().remove("OPENBLAS_CORETYPE");
            pb.environment().remove("OPENBLAS_L2_SIZE");
            Process proc;
            try {
                proc = pb.start();
            } catch (IOException e) {
                System.out.println("NumPy baseline skipped: python3 not found");
                return null;
            }
            String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            proc.waitFor();
            if (proc.exitValue() != 0) {
                System.out.println("NumPy baseline failed: " + out);
                return null;
            }
            double f64 = Double.NaN, f32 = Double.NaN;
            for (String line : out.strip().split("\n")) {
                String[] parts = line.strip().split(" ");
                if (parts[0].equals("float64")) {
                    f64 = Double.parseDouble(parts[1]);
                } else if (parts[0].equals("float32")) {
                    f32 = Double.parseDouble(parts[1]);
                }
            }
            System.out.printf("  NumPy          %5d refs: %8.3f s float64, %.3f s float32 (fit + held-out scores, best of 4; OPENBLAS_CORETYPE/L2_SIZE unset)%n", REFS, f64, f32);
            return new double[] {f64, f32};
        } finally {
            try (var s = Files.list(dir)) {
                for (Path f : (Iterable<Path>) s::iterator) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    static float[] gather(float[] x, int[] rows) {
        float[] out = new float[rows.length * DIM];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(x, rows[i] * DIM, out, i * DIM, DIM);
        }
        return out;
    }
}
