package org.exfacegan.runner.verification;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The short form of a {@link VerificationResult}, as a training curve and a comparison keep it per
 * benchmark: the 10-fold accuracy of insightface's protocol and the equal error rate.
 *
 * @param accuracy    mean fold accuracy (0-1)
 * @param accuracyStd population standard deviation of the fold accuracies
 * @param eer         equal error rate over all pairs
 */
public record AccuracyFigures(@JsonProperty(required = true) double accuracy, @JsonProperty(required = true) double accuracyStd,
                              @JsonProperty(required = true) double eer) {
    public static AccuracyFigures of(VerificationResult v) {
        return new AccuracyFigures(v.accuracyMean(), v.accuracyStd(), v.eer());
    }
}
