package org.exfacegan.runner.verification;

/**
 * One model on one benchmark.
 *
 * @param benchmark     the benchmark's name
 * @param source        its .bin or pairs.txt
 * @param aligned       whether its images were embedded as aligned crops
 * @param flip          whether flip fusion was on
 * @param images        images embedded
 * @param noFaceImages  images the recogniser found no face in
 * @param noFacePairs   pairs with such an image (scored as never the same)
 * @param verification  the protocol's figures
 * @param seconds       wall time of embedding and scoring
 */
public record BenchmarkResult(String benchmark, String source, boolean aligned, boolean flip, int images, int noFaceImages,
        int noFacePairs, VerificationResult verification, double seconds) {

    public BenchmarkResult withSeconds(double value) {
        return new BenchmarkResult(benchmark, source, aligned, flip, images, noFaceImages, noFacePairs, verification, value);
    }
}
